// Public surface of the reference side: the interpreter, its memory, maps and the helper registry.
// Other folders import from here; the files behind it may be reorganised.
export { runReference, DEFAULT_BUDGET } from "./interpreter";
export type { ReferenceOptions, ReferenceResult, ResultRegion } from "./interpreter";
export { RegionMemory, planRegions, stackRegionName, mapValuesRegionName, mapObjectRegionName, CTX_REGION, bytesToBigInt, bigIntToBytes } from "./memory";
export type { GuestMemory, RegionSpec, RegionKind, ExtraRegion, LiveRegion } from "./memory";
export { MapState, createMapState, EPERM, ENOENT, E2BIG, EEXIST, EINVAL, BPF_ANY, BPF_NOEXIST, BPF_EXIST } from "./maps";
export type { MapInstance, InitMemory } from "./maps";
export { callHelper, createHelperEnv, HelperFault, isCallableHelper, mixedProtoHash, DEFAULT_RNG_STATE } from "./helpers";
export type { HelperCall, HelperEnv } from "./helpers";
export { checkProgram } from "./validate";
export * from "./semantics";
