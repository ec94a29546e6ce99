// 完整性: the last verification job's result (GET /v1/integrity, written by
// `fupin-ledger verify`) and the latest checkpoint, whose signature the
// page checks against the anchored system key.
import { ApiError, getJson } from '../lib/api.js';
import { fill, h, table } from '../lib/dom.js';
import { formatCount, formatTime } from '../lib/format.js';
import { HASH_LABELS, KEY_ALG_LABELS } from '../lib/ledger-crypto.js';
import { checkCheckpoint } from '../lib/proofs.js';
import { acceptCheckpoint, forgetTreeHead } from '../lib/tree-head.js';
import { forgetAnchor, pinnedAnchor, trustAnchor } from '../lib/trust.js';
import { forgetWitnesses, pinnedWitnesses, witnessSet } from '../lib/witnesses.js';

const STATUS = { clean: ['通过', 'ok'], tampered: ['发现篡改或不一致', 'bad'], none: ['尚未运行', 'warn'] };
const MODES = { full: '全量', since_last: '增量（自上次）', 'since-last': '增量（自上次）', hash_only: '仅哈希' };

// The pinned trust anchor, and a deliberate way to drop it (a ledger that
// was really replaced); the next proven read pins the new one.
function anchorSection() {
  const pinned = pinnedAnchor();
  return [
    h('h3', {}, '信任锚'),
    pinned
      ? h('dl', { class: 'facts', 'data-testid': 'anchor' },
          h('dt', {}, '账本标识'), h('dd', {}, h('code', {}, pinned.log_id)),
          // A pin from before SM3 logs has neither: SHA-256, Ed25519.
          h('dt', {}, '哈希算法'), h('dd', { 'data-testid': 'anchor-hash' }, HASH_LABELS[pinned.hash ?? 'sha256'] ?? pinned.hash),
          h('dt', {}, '系统密钥算法'), h('dd', { 'data-testid': 'anchor-alg' }, KEY_ALG_LABELS[pinned.alg ?? 'ed25519'] ?? pinned.alg),
          h('dt', {}, '系统密钥'), h('dd', {}, `${pinned.key_id}（${pinned.public_key}）`),
          h('dt', {}, ''), h('dd', {}, h('button', {
            type: 'button',
            'data-testid': 'forget-anchor',
            onclick: () => {
              if (confirm('清除后，本浏览器将信任下一次读到的账本及其见证者。确定要清除吗？')) {
                forgetAnchor();
                forgetTreeHead();
                forgetWitnesses();
                location.reload();
              }
            },
          }, '清除信任锚')))
      : h('p', { class: 'note' }, '尚未固定信任锚：首次验证证明时，本页从序号 0 的系统密钥登记记录得出并固定它。'),
  ];
}

// The pinned witness set (docs/trust.md), shown beside the anchor.
function witnessSection() {
  const pinned = pinnedWitnesses();
  if (!pinned) return [];
  return [
    h('h3', {}, '见证者'),
    pinned.quorum === 0
      ? h('p', { class: 'note', 'data-testid': 'witness-set' }, '本账本未配置见证者：检查点只由账本自己的系统密钥签名。')
      : h('dl', { class: 'facts', 'data-testid': 'witness-set' },
          h('dt', {}, '法定数'), h('dd', {}, `${pinned.quorum} / ${pinned.witnesses.length}`),
          ...pinned.witnesses.flatMap((w) => [h('dt', {}, w.name), h('dd', {}, h('code', {}, w.vkey))])),
  ];
}

// On a mirror's server (fupin-ledger mirror): whose books these are a copy
// of, how far behind it is, and whether it stopped on fork evidence
// (docs/trust.md, "Mirrors"). Null on a ledger's own server (404).
async function mirrorStatus() {
  try {
    return await getJson('/v1/mirror/status');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

function mirrorSection(status) {
  if (!status) return [];
  const following = status.following;
  return [
    h('h3', {}, '镜像'),
    h('div', { class: `card ${following ? 'ok' : 'bad'}`, 'data-testid': 'mirror-status', 'data-following': String(following) },
      h('strong', {}, following ? '本服务器是一份逐条复核的镜像，正在跟随来源账本' : '已停止跟随：来源账本与本镜像已验证的检查点矛盾'),
      h('span', {}, following
        ? '每条记录都按账本的规则重新排序、验签并与来源签名的检查点核对后才保存；本页读到的只有已核对的记录。'
        : '分叉证据已保存（GET /v1/mirror/evidence），可用 fupin-ledger verify-evidence 离线核验；本页仍显示此前已核对的记录。')),
    h('dl', { class: 'facts', 'data-testid': 'mirror-facts' },
      h('dt', {}, '来源'), h('dd', {}, h('code', {}, status.source)),
      h('dt', {}, '来源树大小'), h('dd', {}, formatCount(status.source_tree_size)),
      h('dt', {}, '本地已核对'), h('dd', { 'data-testid': 'mirror-local-size' }, formatCount(status.local_tree_size)),
      h('dt', {}, '落后'), h('dd', { 'data-testid': 'mirror-lag' }, `${formatCount(status.lag_records)} 条，${Number(status.lag_seconds).toFixed(1)} 秒`),
      h('dt', {}, '最近核对'), h('dd', {}, status.last_verified_at ? formatTime(status.last_verified_at) : '—'),
      ...(status.alarms ?? []).flatMap((a) => [h('dt', {}, '告警'), h('dd', { class: 'mark bad' }, a)]),
      status.waiting && h('dt', {}, '等待'), status.waiting && h('dd', {}, status.waiting),
      status.last_error && h('dt', {}, '最近错误'), status.last_error && h('dd', {}, status.last_error)),
  ];
}

export async function renderIntegrity(root) {
  const integrity = await getJson('/v1/integrity');
  const mirror = await mirrorStatus();
  const checkpoint = await getJson('/v1/checkpoint');
  let signature;
  let witnessed = null;
  try {
    const anchor = await trustAnchor();
    const checked = await checkCheckpoint(checkpoint, anchor, {
      acceptCheckpoint,
      witnesses: await witnessSet(),
      note: { origin: checkpoint.origin, cosignatures: checkpoint.cosignatures },
    });
    witnessed = checked.witnessed;
    signature = checked.error
      ? h('span', { class: 'mark bad', 'data-testid': 'checkpoint-bad' }, `✘ ${checked.error}`)
      : h('span', { class: 'mark ok', 'data-testid': 'checkpoint-ok' }, '✔ 系统密钥签名已在本页验证，且与本浏览器此前见过的检查点一致');
  } catch (e) {
    signature = h('span', { class: 'mark bad', 'data-testid': 'checkpoint-unverified' }, `✘ 未能验证：${e.message}`);
  }
  const run = integrity.last_run;
  const [label, tone] = STATUS[integrity.status] ?? [integrity.status, 'warn'];
  fill(root,
    h('h2', {}, '完整性'),
    ...mirrorSection(mirror),
    h('div', { class: `card big ${tone}`, 'data-testid': 'integrity-status', 'data-status': integrity.status }, h('strong', {}, `最近一次校验：${label}`), h('span', {}, run ? `${MODES[run.mode] ?? run.mode}校验覆盖序号 0 至 ${run.verified_tree_size - 1}，共 ${formatCount(run.verified_tree_size)} 条记录` : '运维人员运行 fupin-ledger verify 后，结果显示在这里。')),
    run && h('dl', { class: 'facts', 'data-testid': 'integrity-run' },
      h('dt', {}, '方式'), h('dd', {}, MODES[run.mode] ?? run.mode),
      h('dt', {}, '开始'), h('dd', {}, formatTime(run.started_at)),
      h('dt', {}, '结束'), h('dd', {}, formatTime(run.finished_at)),
      h('dt', {}, '已校验记录数'), h('dd', { 'data-testid': 'verified-size' }, formatCount(run.verified_tree_size)),
      h('dt', {}, '签名'), h('dd', {}, formatCount(run.counts?.signatures)),
      h('dt', {}, '检查点'), h('dd', {}, formatCount(run.counts?.checkpoints)),
      h('dt', {}, '索引条目'), h('dd', {}, formatCount(run.counts?.index_entries)),
      h('dt', {}, '耗时'), h('dd', {}, `${((run.durations_ms?.total ?? 0) / 1000).toFixed(1)} 秒`)),
    run && run.failures_total > 0 && h('h3', {}, `发现的问题（${run.failures_total}）`),
    run && run.failures_total > 0 && table(
      [
        { title: '序号', cell: (f) => String(f.seq ?? '—'), className: 'num' },
        { title: '类别', cell: (f) => f.kind },
        { title: '说明', cell: (f) => f.detail ?? f.message ?? '' },
      ],
      run.failures,
      { testid: 'failures-table' },
    ),
    anchorSection(),
    ...witnessSection(),
    h('h3', {}, '最新检查点'),
    h('dl', { class: 'facts', 'data-testid': 'checkpoint' },
      h('dt', {}, '树大小'), h('dd', {}, formatCount(checkpoint.tree_size)),
      h('dt', {}, '根哈希'), h('dd', {}, h('code', {}, checkpoint.root_hash)),
      h('dt', {}, '账本标识'), h('dd', {}, h('code', {}, checkpoint.log_id)),
      h('dt', {}, '哈希算法'), h('dd', { 'data-testid': 'checkpoint-hash' }, HASH_LABELS[checkpoint.hash ?? 'sha256'] ?? checkpoint.hash),
      h('dt', {}, '时间'), h('dd', {}, formatTime(checkpoint.timestamp)),
      h('dt', {}, '签名'), h('dd', {}, signature),
      witnessed && witnessed.quorum > 0 && h('dt', {}, '见证联署'),
      witnessed && witnessed.quorum > 0 && h('dd', { 'data-testid': 'checkpoint-cosigners' },
        witnessed.cosigners.map((c) => `${c.name}（${formatTime(new Date(c.timestamp * 1000).toISOString())}）`).join('、') || '无')),
  );
}
