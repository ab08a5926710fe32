export * from "./api-keys";
export * from "./businesses";
export * from "./registry-meta";
