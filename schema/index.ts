export * from "./api-keys";
export * from "./businesses";
export * from "./recompute-runs";
export * from "./registry-meta";
export * from "./suggestions";
