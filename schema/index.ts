export * from "./api-keys";
export * from "./audit-log";
export * from "./businesses";
export * from "./partnerships";
export * from "./recompute-runs";
export * from "./registry-meta";
export * from "./suggestions";
