// The PATCH flavours the API server accepts, in one import.
export { applyJsonPatch, PatchError } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { strategicMergePatch } from './strategic-merge.js';
export { serverSideApply, recordUpdate } from './server-side-apply.js';
