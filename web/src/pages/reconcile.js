// 上报核对: for supervisors, every 市州's latest report against the ledger
// at the report's own seq (GET /v1/reports, the server's reconciliation,
// the same one rule FP-15 judges), cell by cell — submitted, ledger,
// difference — with the cells beyond FP-15's thresholds marked, each
// report's status (相符 / 不符) and its FP-15 flag, and the whole as XLSX.
import { download, getJson } from '../lib/api.js';
import { campaignField, rememberCampaign } from '../lib/campaign.js';
import { errorBox, fill, h, loading, table } from '../lib/dom.js';
import { formatTime } from '../lib/format.js';
import { DEFAULT_TOLERANCE_BP, formatCell, formatDifference, formatTolerance, reconciledRows, REPORT_COLUMNS } from '../lib/reports.js';
import { differenceLegend } from './report.js';

function statusBadge(status) {
  const text = { ok: '相符', bad: '不符', none: '未上报' }[status];
  return h('span', { class: `status-badge ${status}`, 'data-testid': 'report-status' }, text);
}

function flagCell(report) {
  if (report.flag_id) return h('a', { href: `#/flags/${encodeURIComponent(report.flag_id)}`, 'data-testid': 'flag-link' }, 'FP-15 预警');
  return report.differs ? h('span', { class: 'note', 'data-testid': 'flag-pending' }, '规则引擎尚未处理') : '—';
}

function reconcileCell(row, cell) {
  const mark = cell.fires ? 'fires' : cell.differs ? 'differs' : '';
  return h('td', { class: `num cmp ${mark}`.trim(), 'data-region': row.region, 'data-column': cell.field },
    h('div', { class: 'sub', title: '报送' }, formatCell(cell.field, cell.submitted)),
    h('div', { class: 'led', title: '账本' }, `账本 ${formatCell(cell.field, cell.projected)}`),
    cell.differs && cell.difference !== null ? h('div', { class: 'diff', title: '差（报送 − 账本）' }, `差 ${formatDifference(cell.field, cell.difference, cell.projected)}`) : null);
}

function detailTable(report, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'compare reconcile', 'data-testid': `report-detail-${report.region}` },
      h('thead', {}, h('tr', {}, h('th', {}, '地区'), REPORT_COLUMNS.map((c) => h('th', { class: 'num', title: c.header }, c.title)))),
      h('tbody', {}, rows.map((row, i) =>
        h('tr', { 'data-region': row.region, class: i === 0 ? 'level-prefecture' : undefined },
          h('td', {}, row.name, h('span', { class: 'code' }, row.region), row.known ? null : h('span', { class: 'mark bad' }, ' 账本中没有该地区')),
          row.cells.map((cell) => reconcileCell(row, cell)))))));
}

function openDetail(region) {
  const detail = document.getElementById(`report-${region}`);
  if (!detail) return;
  detail.open = true;
  detail.scrollIntoView();
}

export async function renderReconcile(root) {
  root.append(h('h2', {}, '上报核对'), loading());
  const campaign = await campaignField();
  const result = h('div', { class: 'result' });

  async function show() {
    const id = campaign.value();
    if (!id) return;
    rememberCampaign(id);
    fill(result, loading());
    try {
      const [answer, stats] = await Promise.all([
        getJson('/v1/reports', { campaign: id }),
        getJson('/v1/stats', { campaign: id }).catch(() => ({ rows: [] })),
      ]);
      const tolerance = answer.tolerance_bp ?? DEFAULT_TOLERANCE_BP;
      const reports = answer.reports.map((report) => ({ report, ...reconciledRows(report, tolerance) }));
      const reported = new Set(answer.reports.map((r) => r.region));
      const absent = stats.rows.filter((r) => r.level === 'prefecture' && !reported.has(r.region));
      const mismatched = answer.reports.filter((r) => r.differs).length;
      const summaryRows = [
        ...reports.map(({ report, firing }) => ({ report, firing, status: report.differs ? 'bad' : 'ok' })),
        ...absent.map((r) => ({ report: { region: r.region, name: r.name }, status: 'none' })),
      ].sort((a, b) => a.report.region.localeCompare(b.report.region));
      fill(result,
        h('div', { class: 'toolbar' },
          h('span', { class: 'as-of', 'data-testid': 'as-of' }, `数据截至序号 ${answer.as_of}`),
          h('span', { class: 'as-of' }, `容差：数量须一致，销售额、覆盖贫困人口 ${formatTolerance(tolerance)}`),
          h('span', { class: 'downloads' },
            h('button', { type: 'button', 'data-testid': 'download-reports-xlsx', onclick: () => download('/v1/reports', { campaign: id, format: 'xlsx' }, `reports-${id}.xlsx`).catch((e) => result.prepend(errorBox(e))) }, '下载 XLSX'))),
        h('div', { class: 'cards' },
          h('div', { class: 'card' }, h('span', {}, '已上报市州'), h('strong', { 'data-testid': 'reports-count' }, String(answer.reports.length))),
          h('div', { class: `card ${mismatched > 0 ? 'bad' : 'ok'}` }, h('span', {}, '与账本不符'), h('strong', { 'data-testid': 'mismatch-count' }, String(mismatched))),
          absent.length > 0 && h('div', { class: 'card warn' }, h('span', {}, '未上报'), h('strong', {}, String(absent.length)))),
        summaryRows.length === 0 ? h('p', { 'data-testid': 'no-reports' }, '该活动尚无市州上报。') : table(
          [
            { title: '市州', cell: (s) => (s.status === 'none' ? `${s.report.name}` : h('a', { href: '#', onclick: (e) => (e.preventDefault(), openDetail(s.report.region)) }, s.report.name)) },
            { title: '状态', cell: (s) => statusBadge(s.status) },
            { title: '上报序号', cell: (s) => (s.report.seq ?? '—'), className: 'num' },
            { title: '签名密钥', cell: (s) => s.report.key ?? '—' },
            { title: '业务时间', cell: (s) => (s.report.occurred_at ? formatTime(s.report.occurred_at) : '—') },
            { title: '超阈值单元格', cell: (s) => (s.status === 'none' ? '—' : String(s.firing)), className: 'num' },
            { title: '预警', cell: (s) => (s.status === 'none' ? '—' : flagCell(s.report)) },
          ],
          summaryRows,
          { testid: 'reports-table', rowAttrs: (s) => ({ 'data-region': s.report.region, 'data-status': s.status }) },
        ),
        reports.length > 0 && differenceLegend(tolerance),
        reports.length > 0 && h('p', { class: 'note' }, '以下为各市州报表逐格核对；与账本不符的报表已展开，相符的可点击展开。'),
        reports.map(({ report, rows, firing, differing }) =>
          h('details', { class: 'report-detail', id: `report-${report.region}`, 'data-region': report.region, open: report.differs },
            h('summary', {}, h('strong', {}, `${report.name}（${report.region}）`), ' ', statusBadge(report.differs ? 'bad' : 'ok'),
              h('span', { class: 'note' }, ` 上报序号 ${report.seq}，${differing} 处不同，${firing} 处超出阈值`)),
            h('p', { class: 'note' },
              `签名密钥 ${report.key}，业务时间 ${formatTime(report.occurred_at)}；按账本序号 ${report.seq}（上报时）的统计表核对。`,
              report.flag_id ? [' ', h('a', { href: `#/flags/${encodeURIComponent(report.flag_id)}` }, `FP-15 预警 ${report.flag_id}`)] : null),
            detailTable(report, rows))),
        h('p', { class: 'note' }, '每格：上行为报送值，中行为账本在上报时点的值，有差异时下行为差（报送 − 账本）及其占账本值的比例；销售额单位为万元，按报表精度（0.01 万元）比较，仅因四舍五入产生的差不计。'),
      );
    } catch (e) {
      fill(result, errorBox(e));
    }
  }

  fill(root,
    h('h2', {}, '上报核对'),
    h('form', { class: 'filters', onsubmit: (e) => (e.preventDefault(), show()) },
      campaign.element, h('button', { type: 'submit' }, '查询')),
    result,
  );
  await show();
}
