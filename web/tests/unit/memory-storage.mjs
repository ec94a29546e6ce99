// The page keeps state in local storage (tree-head.js, trust.js); Node has
// none. Importing this module installs an in-memory one; `storage` is its
// map, for tests to clear between cases.
export const storage = new Map();
globalThis.localStorage = {
  getItem: (k) => (storage.has(k) ? storage.get(k) : null),
  setItem: (k, v) => storage.set(k, String(v)),
  removeItem: (k) => storage.delete(k),
};
