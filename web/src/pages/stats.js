// 统计表: the official table (附件统计表, SPEC §3) as of now or any seq or
// date, with 合计 / 市州 / 县市区 drill-down and XLSX / CSV downloads.
import { download, getJson } from '../lib/api.js';
import { asOfError, asOfParam, campaignField, rememberCampaign } from '../lib/campaign.js';
import { clear, errorBox, fill, h, loading, table } from '../lib/dom.js';
import { formatCount, groupWanYuan } from '../lib/format.js';

const LEVEL_NAMES = { province: '合计', prefecture: '市州', county: '县市区' };

const COLUMNS = [
  ['online_zones', '线上专区'],
  ['offline_zones', '线下专区'],
  ['pavilions', '专馆'],
  ['counters', '专柜'],
  ['livestream_bases', '直播基地'],
  ['promotions', '大型产销活动'],
];

function statsTable(rows, onDrill) {
  return table(
    [
      {
        title: '地区',
        cell: (r) =>
          r.level === 'prefecture' && onDrill
            ? h('a', { href: '#', class: 'drill', onclick: (e) => (e.preventDefault(), onDrill(r)) }, r.name)
            : r.level === 'province'
              ? `合计（${r.name}）`
              : r.name,
      },
      ...COLUMNS.map(([field, title]) => ({ title, cell: (r) => formatCount(r[field]), className: 'num' })),
      { title: '销售扶贫产品（万元）', cell: (r) => groupWanYuan(r.sales_wan_yuan), className: 'num sales' },
      { title: '覆盖贫困人口（人）', cell: (r) => formatCount(r.poor_people_covered), className: 'num' },
    ],
    rows,
    { testid: 'stats-table', rowAttrs: (r) => ({ 'data-region': r.region, 'data-level': r.level, class: `level-${r.level}` }) },
  );
}

export async function renderStats(root) {
  root.append(h('h2', {}, '统计表'), loading());
  const campaign = await campaignField();
  const asOf = h('input', { id: 'as-of', name: 'as_of', placeholder: '最新；或序号 41，或日期 2020-09-30', size: 28 });
  const result = h('div', { class: 'result' });
  let view = { prefecture: null }; // null: 合计 + 市州; a row: its counties

  async function show() {
    const id = campaign.value();
    if (!id) return;
    rememberCampaign(id);
    fill(result, loading());
    const params = { campaign: id, as_of: asOfParam(asOf.value) };
    try {
      const answer = await getJson('/v1/stats', params);
      clear(result);
      const prefix = view.prefecture ? view.prefecture.region.slice(0, 4) : null;
      const rows = prefix
        ? answer.rows.filter((r) => r.region === view.prefecture.region || (r.level === 'county' && r.region.startsWith(prefix)))
        : answer.rows.filter((r) => r.level !== 'county');
      const downloadParams = { ...params, region: view.prefecture?.region };
      result.append(
        h(
          'div',
          { class: 'toolbar' },
          h('nav', { class: 'crumbs', 'aria-label': '层级' },
            view.prefecture
              ? [h('a', { href: '#', onclick: (e) => (e.preventDefault(), (view = { prefecture: null }), show()) }, '全省'), ' › ', view.prefecture.name]
              : '全省（合计与市州；点击市州查看县市区）'),
          h('span', { class: 'as-of', 'data-testid': 'as-of' }, `数据截至序号 ${answer.as_of}`),
          h('span', { class: 'downloads' },
            h('button', { type: 'button', 'data-testid': 'download-xlsx', onclick: () => download('/v1/stats', { ...downloadParams, format: 'xlsx' }, 'stats.xlsx') }, '下载 XLSX'),
            h('button', { type: 'button', 'data-testid': 'download-csv', onclick: () => download('/v1/stats', { ...downloadParams, format: 'csv' }, 'stats.csv') }, '下载 CSV')),
        ),
        rows.length === 0 ? h('p', {}, '没有您的令牌范围内的行。') : statsTable(rows, view.prefecture ? null : (row) => ((view = { prefecture: row }), show())),
        h('p', { class: 'note' }, `单位：销售额为万元（保留两位小数），其余为个数或人数。级别：${[...new Set(rows.map((r) => LEVEL_NAMES[r.level]))].join('、')}。`),
      );
    } catch (e) {
      fill(result, errorBox(asOfError(e, asOf.value)));
    }
  }

  fill(root, 
    h('h2', {}, '统计表'),
    h('form', { class: 'filters', onsubmit: (e) => (e.preventDefault(), show()) },
      campaign.element, h('label', {}, '时点 ', asOf), h('button', { type: 'submit' }, '查询')),
    result,
  );
  await show();
}
