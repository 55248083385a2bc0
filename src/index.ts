// The package's public API. Each layer re-exports what embedders use.
export { SimpleError, isSimpleError } from './errors.js';
