// 审计轨迹: an entity's timeline — every record naming it, in log order —
// with the proofs checked in the page: each record gets ✔ only after its
// leaf hash was recomputed from its content and its inclusion proof led to
// the root of a checkpoint signed by the ledger's system key; the entity's
// own hash chain is checked link by link. A failed check refuses the
// records instead of showing them as evidence.
import { getJson } from '../lib/api.js';
import { errorBox, fill, h, loading, table } from '../lib/dom.js';
import { formatTime } from '../lib/format.js';
import { HASH_LABELS, KEY_ALG_LABELS } from '../lib/ledger-crypto.js';
import { verifyProvenAnswer } from '../lib/proofs.js';
import { acceptCheckpoint } from '../lib/tree-head.js';
import { witnessSet } from '../lib/witnesses.js';
import { trustAnchor } from '../lib/trust.js';

const KINDS = {
  product: '产品', supplier: '供应商', outlet: '专柜/专馆/专区', household: '贫困户',
  region: '地区', campaign: '活动', key: '密钥', flag: '预警',
};

function searchForm(kind, id) {
  const kindSelect = h('select', { id: 'kind', name: 'kind' },
    Object.entries(KINDS).map(([k, name]) => h('option', { value: k, selected: k === kind }, name)));
  const idInput = h('input', { id: 'entity-id', name: 'id', value: id ?? '', required: true, placeholder: '编号，如 P-430524-0001' });
  return h('form', {
    class: 'filters',
    onsubmit: (e) => {
      e.preventDefault();
      location.hash = `#/trail/${kindSelect.value}/${encodeURIComponent(idInput.value.trim())}`;
    },
  }, h('label', {}, '类型 ', kindSelect), h('label', {}, '编号 ', idInput), h('button', { type: 'submit' }, '查看轨迹'));
}

// Finding an entity by region: products by county of origin, outlets and
// suppliers by region (a code covers the regions below it).
const FINDERS = {
  product: { label: '产品（按产地县）', path: '/v1/products', param: 'county', list: 'products', id: 'product_id' },
  outlet: { label: '专柜/专馆/专区（按地区）', path: '/v1/outlets', param: 'region', list: 'outlets', id: 'outlet_id' },
  supplier: { label: '供应商（按地区）', path: '/v1/suppliers', param: 'region', list: 'suppliers', id: 'supplier_id' },
};

function entityFinder() {
  const kind = h('select', { id: 'finder-kind' }, Object.entries(FINDERS).map(([k, f]) => h('option', { value: k }, f.label)));
  const region = h('input', { id: 'finder-region', placeholder: '地区代码，如 430524', size: 18 });
  const list = h('div', { class: 'finder-result' });
  return h('form', {
    class: 'filters finder',
    onsubmit: async (e) => {
      e.preventDefault();
      const finder = FINDERS[kind.value];
      fill(list, loading());
      try {
        const answer = await getJson(finder.path, { [finder.param]: region.value.trim(), limit: 100 });
        const found = answer[finder.list];
        fill(list, found.length === 0 ? h('p', {}, '没有找到。') : h('ul', { class: 'finder-list', 'data-testid': 'finder-list' },
          found.map((x) => h('li', {}, h('a', { href: `#/trail/${kind.value}/${encodeURIComponent(x[finder.id])}` }, `${x[finder.id]} ${x.name ?? ''}`)))),
        answer.next ? h('p', { class: 'note' }, '仅列出前 100 个，请缩小地区范围。') : null);
      } catch (err) {
        fill(list, errorBox(err));
      }
    },
  }, h('label', {}, '查找 ', kind), h('label', {}, '地区 ', region), h('button', { type: 'submit' }, '查找'), list);
}

// Who cosigned the checkpoint the page verified (name, time).
export function cosignersLine(witnessed) {
  if (!witnessed || witnessed.quorum === 0) return null;
  const names = witnessed.cosigners.map((c) => `${c.name}（${formatTime(new Date(c.timestamp * 1000).toISOString())}）`);
  return h('span', { class: 'cosigners', 'data-testid': 'cosigners' },
    ` 见证联署 ${witnessed.cosigners.length}/${witnessed.quorum}（法定数 ${witnessed.quorum}）：${names.join('、')}。`);
}

function mark(error) {
  return error === null
    ? h('span', { class: 'mark ok', title: '叶哈希、包含证明与检查点签名均已在本页验证', 'data-testid': 'proof-ok' }, '✔')
    : h('span', { class: 'mark bad', title: error, 'data-testid': 'proof-bad' }, `✘ ${error}`);
}

export async function renderTrail(root, [kind, id]) {
  root.append(h('h2', {}, '审计轨迹'), searchForm(kind ?? 'product', id), entityFinder());
  if (!kind || !id) {
    root.append(h('p', { class: 'note' }, '输入实体编号查看其全部记录；每条记录的包含证明都在本页验证（SHA-256、Ed25519 用浏览器的 WebCrypto，SM3、SM2 用 sm-crypto-v2）。'));
    return;
  }
  const result = h('div', { class: 'result' }, loading('正在读取并验证…'));
  root.append(result);

  async function show(from) {
    const [anchor, witnesses, answer] = await Promise.all([
      trustAnchor(),
      witnessSet(),
      getJson(`/v1/trail/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`, { proofs: 1, from, limit: 100 }),
    ]);
    const check = await verifyProvenAnswer(answer, anchor, { entity: `${kind}:${id}`, pageStart: from ?? 0, acceptCheckpoint, witnesses });
    const cp = answer.checkpoint;
    // Each row with its own result: a record never borrows another's.
    // A record is shown as proven only with its own proof checked and the
    // answer whole (entity, order, chain); otherwise it is refused.
    const rows = (answer.records ?? []).map((record, i) => ({
      record,
      error: check.results[i] ?? (check.chain.ok ? null : check.chain.reason),
    }));
    const firstError = check.checkpointError ?? check.results.find((e) => e) ?? check.chain.reason;
    const proven = (row) => row.error === null;
    const shown = (row, text) => (proven(row) ? text : '（已拒绝）');
    fill(result,
      h('h3', {}, `${KINDS[kind] ?? kind} ${id}`),
      check.ok
        ? h('div', { class: 'verified', 'data-testid': 'proof-summary' },
            `✔ 本页已验证 ${rows.length} 条记录的包含证明（${HASH_LABELS[anchor.hash]}），检查点（树大小 ${cp.tree_size}，根 ${cp.root_hash.slice(0, 16)}…）由账本系统密钥 ${cp.key} 签名（${KEY_ALG_LABELS[anchor.alg]}），且与本浏览器此前见过的检查点一致。`,
            cosignersLine(check.witnessed))
        : h('div', { class: 'error refused', role: 'alert', 'data-testid': 'proof-refused' },
            `✘ 证明校验失败，本页拒绝采信以下记录：${firstError}`),
      h('p', { class: check.chain.ok ? 'chain ok' : 'chain bad', 'data-testid': 'chain-status' },
        !check.chain.ok
          ? `✘ 实体哈希链校验失败：${check.chain.reason}`
          : check.chain.length === 0
            ? '该实体没有自己的记录流。'
            : `✔ 实体哈希链完整：版本 ${check.chain.first} 至 ${check.chain.last} 逐条相连，本页范围内的每一版都已显示${check.chain.first > 1 ? '（更早的版本请经 /v1/streams 查看）' : ''}。之后的版本不在本页时点之内。`),
      rows.length === 0 ? h('p', {}, '没有记录。') : table(
        [
          { title: '验证', cell: (row) => mark(row.error) },
          { title: '序号', cell: (row) => String(row.record.seq), className: 'num' },
          { title: '事件', cell: (row) => shown(row, row.record.event?.type) },
          { title: '业务时间', cell: (row) => shown(row, row.record.event?.occurred_at) },
          { title: '记账时间', cell: (row) => shown(row, formatTime(row.record.recorded_at)) },
          { title: '签名密钥', cell: (row) => shown(row, row.record.event?.key) },
          { title: '内容', cell: (row) => (proven(row) ? h('code', { class: 'body' }, JSON.stringify(row.record.event.body)) : '（已拒绝）') },
        ],
        rows,
        { testid: 'trail-table', rowAttrs: (row) => ({ 'data-seq': row.record.seq, class: proven(row) ? '' : 'refused' }) },
      ),
      answer.next !== null && answer.next !== undefined ? h('button', { type: 'button', class: 'more', onclick: () => show(answer.next).catch((e) => result.append(errorBox(e))) }, '下一页') : null,
    );
  }
  try {
    await show(undefined);
  } catch (e) {
    fill(result, errorBox(e));
  }
}
