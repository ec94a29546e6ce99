// Numbers and times the Chinese way: 万元 with two decimals and 千分位,
// people and counts grouped, times in Beijing time (+08:00).

const grouped = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

// Integer fen -> "1,496.93" (万元, 1 万元 = 1,000,000 分), rounded half up
// in integer arithmetic so it matches the ledger's sales_wan_yuan.
export function fenToWanYuan(fen) {
  if (!Number.isSafeInteger(fen)) throw new Error(`金额 ${fen} 不是整数分`);
  const negative = fen < 0;
  const hundredths = Math.floor((Math.abs(fen) + 5000) / 10000);
  const whole = Math.floor(hundredths / 100);
  const cents = String(hundredths % 100).padStart(2, '0');
  return `${negative && hundredths > 0 ? '-' : ''}${grouped.format(whole)}.${cents}`;
}

// "149.69" (the API's sales_wan_yuan) -> "149.69" with grouping: "1,496.93".
export function groupWanYuan(text) {
  const [whole, cents = '00'] = String(text).split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  return `${negative ? '-' : ''}${grouped.format(Number(digits))}.${cents}`;
}

export function formatCount(n) {
  return typeof n === 'number' ? grouped.format(n) : '—';
}

// "2020-09-05T02:15:01.123Z" -> "2020-09-05 10:15:01" (北京时间).
export function formatTime(text) {
  if (!text) return '—';
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) return String(text);
  const beijing = new Date(at.getTime() + 8 * 3600 * 1000);
  return beijing.toISOString().slice(0, 19).replace('T', ' ');
}

// Now as RFC 3339 with +08:00, for the occurred_at of events the page signs.
export function nowBeijingRfc3339(now = new Date()) {
  const beijing = new Date(now.getTime() + 8 * 3600 * 1000);
  return `${beijing.toISOString().slice(0, 19)}+08:00`;
}
