// 上报: a 市州扶贫办 brings its filled 附件统计表 to the ledger. It picks the
// campaign and its 市州, can download the blank official form, loads its
// reporter key file, uploads the filled form (XLSX or CSV), which the
// server's one parser reads (POST /v1/reports/parse, nothing written), sees
// it beside the ledger's own numbers (GET /v1/stats) with every differing
// cell highlighted and those beyond FP-15's thresholds marked, then signs
// report.submitted in the page (the key never leaves it) and submits it to
// POST /v1/events.
import { ApiError, download, getJson, postBytes, postJson } from '../lib/api.js';
import { campaignField, rememberCampaign } from '../lib/campaign.js';
import { errorBox, fill, h, loading, table } from '../lib/dom.js';
import { nowBeijingRfc3339 } from '../lib/format.js';
import { importPrivateKeyPem, privateKeyAlgorithm, signEvent } from '../lib/ledger-crypto.js';
import {
  compareReport,
  DEFAULT_TOLERANCE_BP,
  formatCell,
  formatDifference,
  formatTolerance,
  REPORT_COLUMNS,
} from '../lib/reports.js';

const REGION_KEY = 'fupin-ledger.report-region';
const KEY_ID_KEY = 'fupin-ledger.report-key-id';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The legend of the highlight colours (both views).
export function differenceLegend(toleranceBp = DEFAULT_TOLERANCE_BP) {
  return h('p', { class: 'legend', 'data-testid': 'legend' },
    h('span', { class: 'swatch differs' }), ' 与账本不同（在容差内） ',
    h('span', { class: 'swatch fires' }), ` 超出 FP-15 阈值：数量不同，或销售额、覆盖贫困人口偏离账本值超过 ${formatTolerance(toleranceBp)}（账本值为 0 时任何差异）`);
}

function cellTitle(cell) {
  if (cell.projected === null) return '账本中没有该地区';
  if (!cell.differs) return '与账本相同';
  return `报送 ${formatCell(cell.field, cell.submitted)}，账本 ${formatCell(cell.field, cell.projected)}，差 ${formatDifference(cell.field, cell.difference, cell.projected)}${cell.fires ? '，超出 FP-15 阈值' : ''}`;
}

function markClass(cell) {
  return cell.fires ? 'fires' : cell.differs ? 'differs' : '';
}

// The form beside the ledger: one column pair (报送 | 账本) per field.
function compareTable(comparison) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'compare', 'data-testid': 'compare-table' },
      h('thead', {},
        h('tr', {},
          h('th', { rowspan: 2 }, '地区'),
          REPORT_COLUMNS.map((c) => h('th', { colspan: 2, class: 'group', title: c.header }, c.title))),
        h('tr', {}, REPORT_COLUMNS.map(() => [h('th', { class: 'num side' }, '报送'), h('th', { class: 'num side ledger' }, '账本')]))),
      h('tbody', {}, comparison.rows.map((row, i) =>
        h('tr', { 'data-region': row.region, class: [i === 0 ? 'level-prefecture' : '', row.known ? '' : 'unknown'].join(' ').trim() || undefined },
          h('td', {}, row.name, h('span', { class: 'code' }, row.region), row.known ? null : h('span', { class: 'mark bad' }, ' 账本中没有该地区')),
          row.cells.map((cell) => {
            const attrs = { 'data-region': row.region, 'data-column': cell.field, title: cellTitle(cell) };
            const mark = markClass(cell);
            return [
              h('td', { ...attrs, 'data-side': 'submitted', class: `num ${mark}`.trim() }, formatCell(cell.field, cell.submitted)),
              h('td', { ...attrs, 'data-side': 'ledger', class: `num ledger ${mark}`.trim() }, formatCell(cell.field, cell.projected)),
            ];
          }))))));
}

// The parser's errors, one line per bad cell (or one for the file).
export function parseErrorTable(problem) {
  const errors = problem.errors?.length ? problem.errors : [{ reason: problem.detail ?? problem.title ?? '无法读取该文件' }];
  return table(
    [
      { title: '工作表', cell: (e) => e.sheet ?? '—' },
      { title: '行', cell: (e) => (e.row ?? '—'), className: 'num' },
      { title: '列', cell: (e) => e.column ?? '—' },
      { title: '表头', cell: (e) => e.header ?? '—' },
      { title: '值', cell: (e) => (e.value === undefined || e.value === null ? '—' : h('code', {}, String(e.value))) },
      { title: '原因', cell: (e) => h('span', { class: 'reason' }, e.reason ?? '') },
    ],
    errors,
    { testid: 'parse-errors' },
  );
}

// What the refusals a signed report can meet mean for its reporter.
const REFUSALS = {
  bad_signature: '签名无法用该密钥编号的公钥验证：私钥文件与密钥编号不对应',
  unknown_key: '账本中没有登记该密钥编号',
  key_revoked: '该密钥已被吊销',
  key_not_valid: '该密钥不在有效期内',
  role_not_allowed: '该密钥没有上报（reporter）权限',
  out_of_scope: '该密钥的地区范围不含所报市州',
  unknown_reference: '报表所指的活动或地区不在账本中',
  id_conflict: '事件编号冲突，请重新提交',
};

// A refusal as the server said it: HTTP status, code and detail.
function refusal(error) {
  if (!(error instanceof ApiError) || error.status === 0) return errorBox(error);
  return h('div', { class: 'error', role: 'alert', 'data-testid': 'submit-refused' },
    h('strong', {}, `账本拒绝了该报表（HTTP ${error.status}，${error.code}）${REFUSALS[error.code] ? `：${REFUSALS[error.code]}` : ''}`),
    error.detail ? h('div', {}, h('code', {}, error.detail)) : null,
    h('div', {}, '未写入任何记录。'));
}

export async function renderReport(root) {
  root.append(h('h2', {}, '上报'), loading());
  const campaign = await campaignField();
  const region = h('select', { id: 'report-region', name: 'region' });
  const keyFile = h('input', { type: 'file', id: 'key-file', accept: '.pem,application/x-pem-file,text/plain' });
  const keyId = h('input', { id: 'key-id', required: true, size: 20, placeholder: '如 reporter-431200', value: localStorage.getItem(KEY_ID_KEY) ?? '' });
  const keyStatus = h('span', { class: 'note', 'data-testid': 'key-status' }, '未载入');
  const formFile = h('input', { type: 'file', id: 'form-file', accept: `.xlsx,.csv,${XLSX_TYPE},text/csv` });
  const regionsStatus = h('div', { class: 'result' });
  const result = h('div', { class: 'result', 'data-testid': 'parse-result' });
  let privateKey = null;
  let parsed = null; // {answer, comparison, target}: what the sign button signs
  let parses = 0; // only the latest upload's answer is shown

  async function loadRegions() {
    const id = campaign.value();
    fill(region);
    fill(regionsStatus);
    if (!id) return;
    rememberCampaign(id);
    try {
      const stats = await getJson('/v1/stats', { campaign: id });
      const prefectures = stats.rows.filter((r) => r.level === 'prefecture');
      const remembered = localStorage.getItem(REGION_KEY);
      fill(region, prefectures.map((r) => h('option', { value: r.region, selected: r.region === remembered }, `${r.name}（${r.region}）`)));
      if (prefectures.length === 0) regionsStatus.append(errorBox(new Error('该活动的统计表中没有您的令牌范围内的市州')));
    } catch (e) {
      fill(regionsStatus, errorBox(e));
    }
  }

  function chosen() {
    const id = campaign.value();
    const code = region.value;
    if (!id) throw new Error('请先选择或填写活动');
    if (!code) throw new Error('请先选择市州');
    return { campaign: id, region: code };
  }

  async function template(format) {
    try {
      const target = chosen();
      await download('/v1/reports/template', { ...target, format }, `template-${target.region}.${format}`);
    } catch (e) {
      fill(result, errorBox(e));
    }
  }

  async function loadKey() {
    privateKey = null;
    const file = keyFile.files[0];
    if (!file) return fill(keyStatus, '未载入');
    try {
      privateKey = await importPrivateKeyPem(await file.text());
      fill(keyStatus, h('span', { class: 'ok' }, `已载入 ${file.name}（${privateKeyAlgorithm(privateKey)}，仅在本页内存中）`));
    } catch (e) {
      fill(keyStatus, h('span', { class: 'mark bad' }, e.message));
    }
  }

  async function parse() {
    parsed = null;
    const mine = ++parses;
    const file = formFile.files[0];
    if (!file) return fill(result);
    let target;
    try {
      target = chosen();
    } catch (e) {
      return fill(result, errorBox(e));
    }
    localStorage.setItem(REGION_KEY, target.region);
    fill(result, loading('正在由账本服务器解析报表…'));
    const xlsx = /\.xlsx$/i.test(file.name) || file.type === XLSX_TYPE;
    try {
      const bytes = await file.arrayBuffer();
      const [answer, stats] = await Promise.all([
        postBytes('/v1/reports/parse', target, bytes, xlsx ? XLSX_TYPE : 'text/csv'),
        getJson('/v1/stats', { campaign: target.campaign }),
      ]);
      if (mine !== parses) return;
      const comparison = compareReport(answer.region ?? target.region, answer.rows, stats.rows, DEFAULT_TOLERANCE_BP);
      parsed = { answer, comparison, target };
      showPreview(file, answer, stats, comparison);
    } catch (e) {
      if (mine !== parses) return;
      if (e instanceof ApiError && e.status === 422 && e.problem) {
        const count = e.problem.errors?.length ?? 0;
        fill(result,
          h('div', { class: 'error', role: 'alert', 'data-testid': 'parse-refused' },
            h('strong', {}, `报表未通过检查${count > 0 ? `：${count} 处错误` : ''}，未签名、未提交。`),
            e.detail ? h('div', {}, e.detail) : null),
          parseErrorTable(e.problem),
          h('p', { class: 'note' }, '请在表格中改正以上单元格后重新上传。检查由账本服务器的报表解析程序完成，与命令行 report import 的结果一致。'));
      } else {
        fill(result, errorBox(e));
      }
    }
  }

  function showPreview(file, answer, stats, comparison) {
    const status = h('div', { class: 'submit-status', role: 'status', 'data-testid': 'submit-status' });
    const signButton = h('button', { type: 'button', 'data-testid': 'sign-submit', onclick: () => submit(signButton, status) }, '签名并提交');
    fill(result,
      h('div', { class: 'toolbar' },
        h('span', { 'data-testid': 'preview-file' }, `${file.name}（${answer.format === 'xlsx' ? 'XLSX' : 'CSV'}，${answer.rows.length} 行）`),
        h('span', { class: 'as-of', 'data-testid': 'stats-as-of' }, `账本数据截至序号 ${stats.as_of}`)),
      h('div', { class: `compare-summary ${comparison.firing > 0 ? 'bad' : comparison.differing > 0 ? 'warn' : 'ok'}`, 'data-testid': 'compare-summary' },
        comparison.differing === 0
          ? '报表与账本一致。'
          : `${comparison.differing} 处与账本不同，其中 ${comparison.firing} 处超出 FP-15 阈值${comparison.firing > 0 ? '：提交后规则引擎将对本市州提出“报表与账本不符”预警。' : '。'}`),
      differenceLegend(DEFAULT_TOLERANCE_BP),
      h('div', { 'data-testid': 'report-preview' }, compareTable(comparison)),
      comparison.missing.length > 0 && h('p', { class: 'note', 'data-testid': 'missing-rows' },
        `报表未列出账本中的：${comparison.missing.map((r) => `${r.name}（${r.region}）`).join('、')}。`),
      h('p', { class: 'note' }, '销售额按报表的精度（0.01 万元）比较；FP-15 按分计算偏差。'),
      h('div', { class: 'sign-box' },
        h('h3', {}, '签名并提交'),
        h('p', { class: 'note' }, `用“2. 上报密钥”中的私钥和密钥编号签名一条 report.submitted 事件（活动 ${answer.body.campaign_id}，市州 ${answer.body.region}，${answer.body.rows.length} 行，内容即上表的“报送”列，业务时间为现在），提交至账本。`),
        signButton,
        status));
  }

  async function submit(button, status) {
    if (!parsed) return;
    if (!privateKey) return fill(status, errorBox(new Error('请先在“上报密钥”中选择本单位的私钥文件（PEM）')));
    const key = keyId.value.trim();
    if (!key) return fill(status, errorBox(new Error('请填写密钥编号')));
    localStorage.setItem(KEY_ID_KEY, key);
    button.disabled = true;
    fill(status, '正在签名…');
    try {
      const event = await signEvent({
        id: crypto.randomUUID(),
        type: 'report.submitted',
        v: 1,
        occurred_at: nowBeijingRfc3339(),
        key,
        body: parsed.answer.body,
      }, privateKey);
      fill(status, '已签名，正在提交…');
      const answer = await postJson('/v1/events', event);
      const appended = answer.results[0];
      fill(status,
        h('div', { class: 'verified', 'data-testid': 'submit-ok', 'data-seq': appended.seq },
          appended.status === 'duplicate' ? `账本已有该报表：序号 ${appended.seq}` : `已记入账本：序号 ${appended.seq}，叶哈希 ${appended.leaf_hash.slice(0, 16)}…`),
        h('p', {}, h('a', { href: '#/reconcile' }, '到“上报核对”查看账本的核对结果 ›')));
    } catch (e) {
      button.disabled = false;
      fill(status, refusal(e));
    }
  }

  campaign.element.addEventListener('change', async () => {
    await loadRegions();
    await parse();
  });
  region.addEventListener('change', async () => {
    localStorage.setItem(REGION_KEY, region.value);
    await parse();
  });
  keyFile.addEventListener('change', loadKey);
  keyId.addEventListener('change', () => localStorage.setItem(KEY_ID_KEY, keyId.value.trim()));
  formFile.addEventListener('change', parse);

  fill(root,
    h('h2', {}, '上报'),
    h('p', { class: 'note' }, '市州扶贫办上报附件统计表：选择活动和市州，可下载空白报表；填好后上传，账本服务器检查每个单元格，本页将其与账本数据逐格对照；确认后用本单位的上报密钥在本页签名并提交。私钥只在本页内存中使用，不会上传或保存。'),
    h('h3', {}, '1. 活动与市州'),
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      campaign.element,
      h('label', {}, '市州 ', region),
      h('span', { class: 'downloads' },
        h('button', { type: 'button', 'data-testid': 'template-xlsx', onclick: () => template('xlsx') }, '下载空白报表 XLSX'),
        h('button', { type: 'button', 'data-testid': 'template-csv', onclick: () => template('csv') }, '下载空白报表 CSV'))),
    regionsStatus,
    h('h3', {}, '2. 上报密钥'),
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('label', {}, '私钥文件 ', keyFile),
      h('label', {}, '密钥编号 ', keyId),
      keyStatus),
    h('h3', {}, '3. 上传填好的报表'),
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('label', {}, '报表文件（XLSX 或 CSV，UTF-8 或 GBK） ', formFile)),
    result,
  );
  await loadRegions();
}
