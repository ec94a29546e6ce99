// A 市州's report (report.submitted, SPEC §2.5) against the ledger's own
// statistics table (SPEC §3), cell by cell, with FP-15's test (SPEC §4):
// any count that differs, or sales or coverage off by more than the
// tolerance (default 5 %, in basis points) of the ledger's value — any
// difference from a ledger value of 0. The same test as
// rules/fp15_report_mismatch.cc, in integers (BigInt), so the page marks
// exactly the cells the rule engine flags.
import { fenToWanYuan, formatCount } from './format.js';

// The eight columns of a report row, in report.submitted field order,
// with the form's wording (SPEC §3).
export const REPORT_COLUMNS = [
  { field: 'online_zones', title: '线上专区', header: '设立线上专区数(个)', count: true },
  { field: 'offline_zones', title: '线下专区', header: '设立线下专区数(个)', count: true },
  { field: 'pavilions', title: '专馆', header: '设立专馆数(个)', count: true },
  { field: 'counters', title: '专柜', header: '设立专柜数(个)', count: true },
  { field: 'livestream_bases', title: '直播基地', header: '开设直播基地(个)', count: true },
  { field: 'promotions', title: '大型产销活动', header: '举办大型产销活动(场)', count: true },
  { field: 'sales_fen', title: '销售额（万元）', header: '销售扶贫产品(万元)', count: false },
  { field: 'poor_people_covered', title: '覆盖贫困人口', header: '覆盖贫困人口(人)', count: false },
];

const COUNT_FIELDS = new Set(REPORT_COLUMNS.filter((c) => c.count).map((c) => c.field));

// FP-15's default tolerance (rules/default-rules.json: tolerance_ratio 0.05).
export const DEFAULT_TOLERANCE_BP = 500;

function abs(n) {
  return n < 0n ? -n : n;
}

// Half of the form's 0.01 万元 in fen: rounding a ledger figure to the
// form changes it by at most this (projections/reconciliation.h).
export const FORM_ROUNDING_FEN = 5000n;

// Whether FP-15 fires on this cell (projections::ColumnFires).
export function cellFires(field, submitted, projected, toleranceBp = DEFAULT_TOLERANCE_BP) {
  const s = BigInt(submitted);
  const p = BigInt(projected);
  const difference = s - p;
  if (difference === 0n) return false;
  if (COUNT_FIELDS.has(field)) return true;
  if (field === 'sales_fen' && abs(difference) <= FORM_ROUNDING_FEN) return false;
  if (p === 0n) return true;
  return abs(difference) * 10000n > abs(p) * BigInt(toleranceBp);
}

// Fen rounded to 0.01 万元 (half away from zero), the form's precision.
function hundredthsOfWan(fen) {
  const f = BigInt(fen);
  return f >= 0n ? (f + 5000n) / 10000n : -((-f + 5000n) / 10000n);
}

// Whether a cell differs in what the form can say: counts exactly, sales
// in 0.01 万元 (a form filled from the ledger's own table rounds every
// amount; that is not a difference).
export function cellDiffers(field, submitted, projected) {
  if (field === 'sales_fen') return hundredthsOfWan(submitted) !== hundredthsOfWan(projected);
  return submitted !== projected;
}

// A cell's verdict: {field, submitted, projected, difference, differs,
// fires}; projected null when the ledger has no such row. `fires` may be
// given (the server's own verdict); a firing cell always counts as
// differing.
export function judgeCell(field, submitted, projected, toleranceBp = DEFAULT_TOLERANCE_BP, fires) {
  if (projected === null || projected === undefined) {
    return { field, submitted, projected: null, difference: null, differs: true, fires: true };
  }
  const fired = fires ?? cellFires(field, submitted, projected, toleranceBp);
  return {
    field,
    submitted,
    projected,
    difference: submitted - projected,
    differs: fired || cellDiffers(field, submitted, projected),
    fires: fired,
  };
}

// The parsed rows of a form against the ledger's rows (GET /v1/stats),
// matched by region code. Returns {rows: [{region, name, known, cells}],
// differing, firing, missing: ledger rows of the 市州 the form leaves out}.
export function compareReport(reportRegion, parsedRows, statsRows, toleranceBp = DEFAULT_TOLERANCE_BP) {
  const ledger = new Map(statsRows.map((r) => [r.region, r]));
  const rows = parsedRows.map((row) => {
    const own = ledger.get(row.region);
    return {
      region: row.region,
      name: row.name ?? own?.name ?? row.region,
      known: own !== undefined,
      cells: REPORT_COLUMNS.map(({ field }) => judgeCell(field, row[field], own ? own[field] : null, toleranceBp)),
    };
  });
  const listed = new Set(parsedRows.map((r) => r.region));
  const prefix = reportRegion.slice(0, 4);
  const missing = statsRows.filter(
    (r) => !listed.has(r.region) && (r.region === reportRegion || (r.level === 'county' && r.region.startsWith(prefix))),
  );
  return { rows, missing, ...tally(rows) };
}

// The server's reconciliation of one report (GET /v1/reports) in the same
// shape, with the server's `fires` kept.
export function reconciledRows(report, toleranceBp = DEFAULT_TOLERANCE_BP) {
  const rows = report.rows.map((row) => {
    const byField = new Map((row.columns ?? []).map((c) => [c.column, c]));
    return {
      region: row.region,
      name: row.name ?? row.region,
      known: row.region_known !== false,
      cells: REPORT_COLUMNS.map(({ field }) => {
        const c = byField.get(field);
        if (!c) return { field, submitted: null, projected: null, difference: null, differs: false, fires: false };
        return judgeCell(field, c.submitted, row.region_known === false ? null : c.projected, toleranceBp, c.fires);
      }),
    };
  });
  return { rows, ...tally(rows) };
}

function tally(rows) {
  let differing = 0;
  let firing = 0;
  for (const row of rows) {
    for (const cell of row.cells) {
      if (cell.differs) differing++;
      if (cell.fires) firing++;
    }
  }
  return { differing, firing };
}

// A value of a column as the page shows it: 万元 for sales, counts grouped.
export function formatCell(field, value) {
  if (value === null || value === undefined) return '—';
  return field === 'sales_fen' ? fenToWanYuan(value) : formatCount(value);
}

// "+3", "−1,234", "+0.25（+14.0%）": the difference, with its share of the
// ledger's value for sales and coverage (what FP-15's tolerance is about).
export function formatDifference(field, difference, projected) {
  if (difference === null || difference === undefined) return '—';
  const sign = difference > 0 ? '+' : difference < 0 ? '−' : '';
  const magnitude = Math.abs(difference);
  let text = `${sign}${field === 'sales_fen' ? fenToWanYuan(magnitude) : formatCount(magnitude)}`;
  if (!COUNT_FIELDS.has(field) && projected) {
    const percent = (difference / Math.abs(projected)) * 100;
    text += `（${percent > 0 ? '+' : percent < 0 ? '−' : ''}${Math.abs(percent).toFixed(1)}%）`;
  }
  return text;
}

// The tolerance as people read it: 500 -> "5%".
export function formatTolerance(toleranceBp) {
  return `${Number((toleranceBp / 100).toFixed(2))}%`;
}
