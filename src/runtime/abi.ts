// The contract between compiled code and the runtime is defined where the code is generated
// (src/compiler/runtime-abi.ts); the runtime implements it.
export * from '../compiler/runtime-abi.js';
