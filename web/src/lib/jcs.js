// RFC 8785 (JCS) canonical JSON of the values the ledger signs and hashes
// (SPEC §2.1): objects with members sorted by UTF-16 code units, no
// whitespace, strings escaped as ECMAScript's JSON.stringify does (which is
// what JCS specifies), and integers only — a fraction, an exponent or a
// number beyond ±(2^53−1) is refused, as the ledger refuses it.

export function canonicalize(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new Error(`数值 ${value} 不是安全整数，账本不接受`);
      }
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
      const keys = Object.keys(value).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalize(value[k])}`).join(',')}}`;
    }
    default:
      throw new Error(`无法规范化 ${typeof value} 类型的值`);
  }
}
