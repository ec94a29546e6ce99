// 目标进度: the campaign's targets (campaign.defined) against the ledger —
// counters per 市州, 专馆 and 线下专区 coverage, sales against the sales
// target — as ECharts charts, with the regions that fall short in red.
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { getJson } from '../lib/api.js';
import { asOfError, asOfParam, campaignField, rememberCampaign } from '../lib/campaign.js';
import { clear, errorBox, fill, h, loading, table } from '../lib/dom.js';
import { fenToWanYuan, formatCount } from '../lib/format.js';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const MET = '#2f7d4f';
const SHORT = '#c0392b';
const REQUIRED = '#b8c2cc';

const TARGET_NAMES = {
  sales_fen: '销售额',
  counters_total: '专柜总数',
  counters_by_region: '市州专柜数',
  counters_min_per_prefecture: '每市州最少专柜',
  pavilions_min_per_region: '每地区最少专馆',
  offline_zones_min_per_prefecture: '每市州最少线下专区',
};

function amount(check) {
  return check.target === 'sales_fen' ? `${fenToWanYuan(check.actual)} / ${fenToWanYuan(check.required)} 万元` : `${formatCount(check.actual)} / ${formatCount(check.required)}`;
}

function chart(container, option) {
  const instance = echarts.init(container, null, { renderer: 'canvas' });
  instance.setOption({ animation: false, tooltip: { trigger: 'axis' }, ...option });
  new ResizeObserver(() => instance.resize()).observe(container);
  return instance;
}

function barsByRegion(container, checks, title) {
  chart(container, {
    legend: { data: ['实际', '目标'], top: 0 },
    grid: { left: 40, right: 10, top: 30, bottom: 70 },
    xAxis: { type: 'category', data: checks.map((c) => c.name), axisLabel: { rotate: 45, interval: 0 } },
    yAxis: { type: 'value', name: title },
    series: [
      { name: '实际', type: 'bar', itemStyle: { color: MET }, data: checks.map((c) => ({ value: c.actual, itemStyle: { color: c.met ? MET : SHORT } })) },
      { name: '目标', type: 'bar', data: checks.map((c) => c.required), itemStyle: { color: REQUIRED } },
    ],
  });
}

function salesBar(container, check) {
  const actual = check.actual / 1e6;
  const required = check.required / 1e6;
  chart(container, {
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${Number(v).toFixed(2)} 万元` },
    grid: { left: 60, right: 30, top: 20, bottom: 30 },
    xAxis: { type: 'value', name: '万元' },
    yAxis: { type: 'category', data: ['目标', '实际'] },
    series: [{ type: 'bar', data: [{ value: required, itemStyle: { color: REQUIRED } }, { value: actual, itemStyle: { color: check.met ? MET : SHORT } }] }],
  });
}

export async function renderTargets(root) {
  root.append(h('h2', {}, '目标进度'), loading());
  const campaign = await campaignField();
  const asOf = h('input', { id: 'as-of', placeholder: '最新；或序号，或日期', size: 22 });
  const result = h('div', { class: 'result' });

  async function show() {
    const id = campaign.value();
    if (!id) return;
    rememberCampaign(id);
    fill(result, loading());
    try {
      const answer = await getJson('/v1/targets', { campaign: id, as_of: asOfParam(asOf.value) });
      clear(result);
      const checks = answer.checks;
      const short = checks.filter((c) => !c.met);
      const sales = checks.find((c) => c.target === 'sales_fen');
      const counters = checks.filter((c) => c.target === 'counters_by_region' || c.target === 'counters_min_per_prefecture');
      const pavilionChecks = checks.filter((c) => c.target === 'pavilions_min_per_region');
      const pavilions = pavilionChecks.filter((c) => c.level === 'prefecture');
      const zones = checks.filter((c) => c.target === 'offline_zones_min_per_prefecture');
      const coverage = (list) => `${list.filter((c) => c.met).length} / ${list.length}`;
      const pavilionsShort = pavilionChecks.filter((c) => !c.met);
      const salesBox = h('div', { class: 'chart chart-short', 'data-testid': 'chart-sales' });
      const countersBox = h('div', { class: 'chart', 'data-testid': 'chart-counters' });
      const pavilionsBox = h('div', { class: 'chart', 'data-testid': 'chart-pavilions' });
      const zonesBox = h('div', { class: 'chart', 'data-testid': 'chart-zones' });
      fill(result,
        h('div', { class: 'cards' },
          h('div', { class: `card ${answer.met ? 'ok' : 'bad'}`, 'data-testid': 'targets-overall' }, h('strong', {}, answer.met ? '全部达标' : `${short.length} 项未达标`), h('span', {}, `截至序号 ${answer.as_of}`)),
          sales && h('div', { class: `card ${sales.met ? 'ok' : 'bad'}` }, h('strong', {}, `销售额 ${sales.progress_percent}%`), h('span', {}, amount(sales))),
          h('div', { class: 'card' }, h('strong', {}, `专馆覆盖 ${coverage(pavilionChecks)}`), h('span', {}, '达到最低专馆数的市州与县市区')),
          h('div', { class: 'card' }, h('strong', {}, `线下专区覆盖 ${coverage(zones)}`), h('span', {}, '达到最低线下专区数的市州')),
        ),
        sales && h('h3', {}, '销售额与目标'), sales && salesBox,
        counters.length > 0 && h('h3', {}, '各市州专柜数与目标'), counters.length > 0 && countersBox,
        pavilions.length > 0 && h('h3', {}, '各市州专馆数与最低要求'), pavilions.length > 0 && pavilionsBox,
        pavilionsShort.length > 0 && h('p', { class: 'short-note' }, `专馆未达最低要求的地区：${pavilionsShort.map((c) => c.name).join('、')}`),
        zones.length > 0 && h('h3', {}, '各市州线下专区数与最低要求'), zones.length > 0 && zonesBox,
        h('h3', {}, '未达标项'),
        short.length === 0
          ? h('p', {}, '所有目标均已达到。')
          : table(
              [
                { title: '目标', cell: (c) => TARGET_NAMES[c.target] ?? c.target },
                { title: '地区', cell: (c) => `${c.name}（${c.region}）` },
                { title: '实际 / 要求', cell: amount, className: 'num' },
                { title: '完成率', cell: (c) => `${c.progress_percent}%`, className: 'num' },
              ],
              short,
              { testid: 'short-table', rowAttrs: (c) => ({ class: 'short', 'data-region': c.region, 'data-target': c.target }) },
            ),
      );
      if (sales) salesBar(salesBox, sales);
      if (counters.length) barsByRegion(countersBox, counters, '专柜');
      if (pavilions.length) barsByRegion(pavilionsBox, pavilions, '专馆');
      if (zones.length) barsByRegion(zonesBox, zones, '线下专区');
    } catch (e) {
      fill(result, errorBox(asOfError(e, asOf.value)));
    }
  }

  fill(root, 
    h('h2', {}, '目标进度'),
    h('form', { class: 'filters', onsubmit: (e) => (e.preventDefault(), show()) }, campaign.element, h('label', {}, '时点 ', asOf), h('button', { type: 'submit' }, '查询')),
    result,
  );
  await show();
}
