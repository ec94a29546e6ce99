// 预警: the queue of flags (filter by rule, severity, region, status) and a
// flag's page — explanation, evidence records, resolution history — where a
// supervisor resolves it: the page signs flag.resolved with the
// supervisor's Ed25519 or SM2 key (imported from a file, never readable
// back, never sent anywhere) and submits it to POST /v1/events.
import { getJson, postJson } from '../lib/api.js';
import { clear, errorBox, fill, h, loading, table } from '../lib/dom.js';
import { formatTime, nowBeijingRfc3339 } from '../lib/format.js';
import { importPrivateKeyPem, signEvent } from '../lib/ledger-crypto.js';

export const RULE_NAMES = {
  'FP-01': '未认证产品销售', 'FP-02': '专柜未运营时销售', 'FP-03': '售价高于参考价',
  'FP-04': '售价偏离同类', 'FP-05': '售价突变', 'FP-06': '未登记贫困户',
  'FP-07': '贫困户被重复申报', 'FP-08': '有带贫无销售', 'FP-09': '带贫收益未兑付',
  'FP-10': '产地非贫困地区', 'FP-11': '销量超过产能', 'FP-12': '专柜交易过频',
  'FP-13': '重复金额交易', 'FP-14': '僵尸专柜', 'FP-15': '报表与账本不符',
  'FP-16': '带贫人数虚报', 'FP-17': '活动结束后退款', 'FP-18': '倒签事件',
  'FP-19': '摊派购买', 'FP-20': '首位数字分布异常',
};
const SEVERITY_NAMES = { alert: '严重', warning: '警告', info: '提示' };
const STATUS_NAMES = { open: '待处理', confirmed: '已确认', dismissed: '已排除' };

// The details a rule judged on (docs/rules.md), labelled in Chinese;
// amounts in fen are shown in 元.
const DETAIL_LABELS = {
  campaign_id: '活动', sale_id: '销售编号', product_id: '产品', product_ids: '产品', outlet_id: '专柜/专馆',
  supplier_id: '供应商', supplier_ids: '供应商', suppliers: '供应商数', supplier_region: '供应商所在地',
  amount_fen: '金额', unit_price_fen: '单价', reference_price_fen: '参考价', ratio: '比值',
  threshold_ratio: '阈值倍数', households: '户数', unknown_households: '未登记户', people_claimed: '声称带贫人数',
  registered_members: '登记人口', sales: '销售笔数', sale_date: '销售日期', date: '日期', reason: '原因',
  purchases: '购买笔数', first_at: '首次时间', last_at: '末次时间', buyer_ref: '买方', org: '单位',
  z: '稳健 z 值', z_threshold: 'z 阈值', peers: '同类价格数', peer_median_fen: '同类中位价', peer_mad_fen: '同类 MAD',
  window_sales_fen: '窗口销售额', window_days: '窗口天数', tolerance_bp: '容差（万分比）', submitted: '报送值',
  projected: '账本值', rows_differing: '不符行数', rows: '行数', repeats: '重复次数', region: '地区',
  region_known: '地区已登记', refunded_fen: '退款额', poverty_county: '贫困县', origin_region: '产地',
  paid_ratio: '兑付比例', paid_households: '已兑付户数', sales_per_household_fen: '户均销售额',
  sales_per_hour: '每小时笔数', occurred_at: '业务时间', households_listed: '所列户数',
  households_unregistered: '未登记户数', source: '来源', check: '核对项',
};

function detailValue(key, value) {
  if (key.endsWith('_fen') && Number.isSafeInteger(value)) return `${(value / 100).toFixed(2)} 元`;
  if (typeof value === 'boolean') return value ? '是' : '否';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function ruleLabel(rule) {
  return RULE_NAMES[rule] ? `${rule} ${RULE_NAMES[rule]}` : rule;
}

function select(id, label, options, value) {
  return h('label', {}, `${label} `, h('select', { id, name: id },
    h('option', { value: '' }, '全部'),
    Object.entries(options).map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
}

export async function renderFlags(root) {
  const state = JSON.parse(sessionStorage.getItem('fupin-ledger.flag-filters') ?? '{}');
  const region = h('input', { id: 'region', name: 'region', value: state.region ?? '', placeholder: '如 430100', size: 8 });
  const form = h('form', { class: 'filters', onsubmit: (e) => (e.preventDefault(), show(null)) },
    select('rule', '规则', Object.fromEntries(Object.keys(RULE_NAMES).map((r) => [r, ruleLabel(r)])), state.rule),
    select('severity', '级别', SEVERITY_NAMES, state.severity),
    select('status', '状态', STATUS_NAMES, state.status ?? 'open'),
    h('label', {}, '地区 ', region),
    h('button', { type: 'submit' }, '筛选'));
  const result = h('div', { class: 'result' });
  root.append(h('h2', {}, '预警'), form, result);

  async function show(from) {
    const filters = { rule: form.rule.value, severity: form.severity.value, status: form.status.value, region: region.value.trim() };
    sessionStorage.setItem('fupin-ledger.flag-filters', JSON.stringify(filters));
    fill(result, loading());
    try {
      const answer = await getJson('/v1/flags', { ...filters, from, limit: 50 });
      fill(result, 
        answer.flags.length === 0 ? h('p', { 'data-testid': 'no-flags' }, '没有符合条件的预警。') : table(
          [
            { title: '规则', cell: (f) => ruleLabel(f.rule) },
            { title: '级别', cell: (f) => h('span', { class: `severity ${f.severity}` }, SEVERITY_NAMES[f.severity] ?? f.severity) },
            { title: '对象', cell: (f) => f.subject },
            { title: '地区', cell: (f) => f.region },
            { title: '状态', cell: (f) => STATUS_NAMES[f.status] ?? f.status },
            { title: '摘要', cell: (f) => h('a', { href: `#/flags/${encodeURIComponent(f.flag_id)}` }, f.summary) },
          ],
          answer.flags,
          { testid: 'flags-table', rowAttrs: (f) => ({ 'data-flag': f.flag_id, 'data-rule': f.rule }) },
        ),
        answer.next ? h('button', { type: 'button', class: 'more', onclick: () => show(answer.next) }, '下一页') : null,
      );
    } catch (e) {
      fill(result, errorBox(e));
    }
  }
  await show(null);
}

function evidenceTable(records) {
  return table(
    [
      { title: '序号', cell: (r) => h('a', { href: `#/trail/${r.stream.replace(':', '/')}` }, String(r.seq)), className: 'num' },
      { title: '事件', cell: (r) => r.event.type },
      { title: '业务时间', cell: (r) => r.event.occurred_at },
      { title: '签名密钥', cell: (r) => r.event.key },
      { title: '内容', cell: (r) => h('code', { class: 'body' }, JSON.stringify(r.event.body)) },
    ],
    records,
    { testid: 'evidence-table' },
  );
}

function resolveForm(flag, onResolved) {
  const keyFile = h('input', { type: 'file', id: 'key-file', accept: '.pem,application/x-pem-file,text/plain' });
  const keyId = h('input', { id: 'key-id', required: true, placeholder: '如 supervisor-430000-1', value: localStorage.getItem('fupin-ledger.key-id') ?? '' });
  const note = h('textarea', { id: 'note', rows: 3, required: true, placeholder: '核查情况说明' });
  const status = h('div', { class: 'resolve-status', role: 'status', 'data-testid': 'resolve-status' });
  const form = h('form', {
    class: 'resolve',
    onsubmit: async (e) => {
      e.preventDefault();
      const file = keyFile.files[0];
      if (!file) return status.replaceChildren(errorBox(new Error('请选择监督员私钥文件（PEM）')));
      status.textContent = '正在签名…';
      try {
        const privateKey = await importPrivateKeyPem(await file.text());
        localStorage.setItem('fupin-ledger.key-id', keyId.value.trim());
        const event = await signEvent({
          id: crypto.randomUUID(),
          type: 'flag.resolved',
          v: 1,
          occurred_at: nowBeijingRfc3339(),
          key: keyId.value.trim(),
          body: { flag_id: flag.flag_id, resolution: form.resolution.value, note: note.value.trim() },
        }, privateKey);
        status.textContent = '已签名，正在提交…';
        const answer = await postJson('/v1/events', event);
        const result = answer.results[0];
        status.replaceChildren(h('div', { class: 'ok', 'data-testid': 'resolve-ok' }, `已记入账本：序号 ${result.seq}，叶哈希 ${result.leaf_hash.slice(0, 16)}…`));
        await onResolved(result.seq);
      } catch (err) {
        status.replaceChildren(errorBox(err));
      }
    },
  },
  h('h3', {}, '处理预警'),
  h('p', { class: 'note' }, '处理结果由您的监督员密钥在本页内签名（Ed25519 或 SM2，按密钥文件）。私钥只在本页内存中使用，不会上传或保存。'),
  h('fieldset', {}, h('legend', {}, '结论'),
    h('label', {}, h('input', { type: 'radio', name: 'resolution', value: 'confirmed', checked: true }), ' 确认（属实）'),
    h('label', {}, h('input', { type: 'radio', name: 'resolution', value: 'dismissed' }), ' 排除（误报）')),
  h('label', {}, '说明 ', note),
  h('label', {}, '私钥文件 ', keyFile),
  h('label', {}, '密钥编号 ', keyId),
  h('button', { type: 'submit' }, '签名并提交'),
  status);
  return form;
}

async function waitForResolution(flagId, seq) {
  // The rule engine folds the new record after the append is acknowledged.
  for (let i = 0; i < 50; i++) {
    const flag = await getJson(`/v1/flags/${encodeURIComponent(flagId)}`);
    if (flag.resolution && flag.resolution.seq >= seq) return flag;
    if (flag.status !== 'open') return flag;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

export async function renderFlag(root, flagId) {
  root.append(loading());
  const [flag, history] = await Promise.all([
    getJson(`/v1/flags/${encodeURIComponent(flagId)}`),
    getJson(`/v1/trail/flag/${encodeURIComponent(flagId)}`).catch(() => ({ records: [] })),
  ]);
  if (flag.flag_id !== flagId) throw new Error(`服务器返回的预警 ${flag.flag_id} 不是所查的 ${flagId}`);
  const details = Object.entries(flag.details ?? {});
  fill(root, 
    h('p', {}, h('a', { href: '#/flags' }, '‹ 返回预警列表')),
    h('h2', {}, `预警 ${flag.flag_id}`),
    h('dl', { class: 'facts', 'data-testid': 'flag-facts' },
      h('dt', {}, '规则'), h('dd', {}, ruleLabel(flag.rule)),
      h('dt', {}, '级别'), h('dd', {}, h('span', { class: `severity ${flag.severity}` }, SEVERITY_NAMES[flag.severity] ?? flag.severity)),
      h('dt', {}, '状态'), h('dd', { 'data-testid': 'flag-status' }, STATUS_NAMES[flag.status] ?? flag.status),
      h('dt', {}, '对象'), h('dd', {}, h('a', { href: `#/trail/${flag.subject.replace(':', '/')}` }, flag.subject)),
      h('dt', {}, '地区'), h('dd', {}, flag.region),
      h('dt', {}, '说明'), h('dd', { 'data-testid': 'flag-summary' }, flag.summary),
      h('dt', {}, '提出'), h('dd', {}, `序号 ${flag.seq}，${formatTime(flag.raised_at)}`)),
    details.length > 0 && h('h3', {}, '判定依据'),
    details.length > 0 && h('dl', { class: 'facts' }, details.flatMap(([k, v]) => [h('dt', { title: k }, DETAIL_LABELS[k] ?? k), h('dd', {}, detailValue(k, v))])),
    h('h3', {}, `证据记录（${flag.evidence_records.length}）`),
    evidenceTable(flag.evidence_records),
    flag.extra_evidence_total > 0 && h('details', { class: 'extra' }, h('summary', {}, `另有 ${flag.extra_evidence_total} 条同类证据（该预警处理前同一规则、同一对象再次触发）`),
      h('p', {}, `序号 ${flag.extra_evidence.join('、')}${flag.extra_evidence_total > flag.extra_evidence.length ? ' …' : ''}`)),
    h('h3', {}, '处理记录'),
    history.records.length === 0 ? h('p', {}, '无。') : table(
      [
        { title: '序号', cell: (r) => String(r.seq), className: 'num' },
        { title: '事件', cell: (r) => (r.event.type === 'flag.resolved' ? `处理：${STATUS_NAMES[r.event.body.resolution] ?? r.event.body.resolution}` : r.event.type === 'flag.raised' ? '提出' : r.event.type) },
        { title: '签名密钥', cell: (r) => r.event.key },
        { title: '记账时间', cell: (r) => formatTime(r.recorded_at) },
        { title: '说明', cell: (r) => r.event.body.note ?? '' },
      ],
      history.records,
      { testid: 'history-table' },
    ),
    flag.status === 'open'
      ? resolveForm(flag, async (seq) => {
          await waitForResolution(flag.flag_id, seq);
          clear(root);
          await renderFlag(root, flagId);
        })
      : h('p', { class: 'note' }, '该预警已处理。'),
  );
}
