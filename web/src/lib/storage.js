// What the page keeps in local storage across visits (the trust anchor,
// the tree head): JSON values, unreadable ones treated as absent.

export function readStored(key) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

export function writeStored(key, value) {
  localStorage.setItem(key, JSON.stringify(value));
}
