// The campaign the views show. Province-wide tokens can list the
// campaign.defined records; others type the campaign id. The last one used
// is remembered in local storage.
import { getJson } from './api.js';
import { h } from './dom.js';

const CAMPAIGN_KEY = 'fupin-ledger.campaign';

export function rememberedCampaign() {
  return localStorage.getItem(CAMPAIGN_KEY) ?? '';
}

export function rememberCampaign(id) {
  if (id) localStorage.setItem(CAMPAIGN_KEY, id);
}

// [{id, name}] from the log, or [] when this token may not read the raw log.
export async function knownCampaigns() {
  try {
    const answer = await getJson('/v1/events', { type: 'campaign.defined', limit: 1000 });
    const byId = new Map();
    for (const record of answer.records) {
      const body = record.event.body;
      byId.set(body.campaign_id, { id: body.campaign_id, name: body.name ?? body.campaign_id });
    }
    return [...byId.values()];
  } catch {
    return [];
  }
}

// A field to choose the campaign: a select when the log lists campaigns, a
// text input otherwise. value() reads it.
export async function campaignField() {
  const campaigns = await knownCampaigns();
  let remembered = rememberedCampaign();
  let input;
  if (campaigns.length > 0) {
    if (!campaigns.some((c) => c.id === remembered)) remembered = campaigns[campaigns.length - 1].id;
    input = h(
      'select',
      { id: 'campaign', name: 'campaign' },
      campaigns.map((c) => h('option', { value: c.id, selected: c.id === remembered }, `${c.name}（${c.id}）`)),
    );
  } else {
    input = h('input', { id: 'campaign', name: 'campaign', value: remembered, required: true, placeholder: '活动编号，如 HN-2020-09' });
  }
  return { element: h('label', {}, '活动 ', input), value: () => input.value.trim() };
}

// "" -> latest; "41" -> seq 41; "2020-09-30" -> the end of that day in
// Beijing time; "2020-09-30T12:00" -> that minute in Beijing time.
export function asOfParam(text) {
  const value = text.trim();
  if (value === '') return undefined;
  if (/^\d+$/.test(value)) return value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T23:59:59.999+08:00`;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(value)) {
    return `${value.replace(' ', 'T')}${value.length === 16 ? ':00' : ''}+08:00`;
  }
  return value;
}

// An error of a read with a 时点: a refused as_of gets the accepted forms
// spelled out (the server's reason stays, after it).
export function asOfError(error, asOfText) {
  if (asOfText.trim() !== '' && error.code === 'invalid_argument' && /as_of/.test(error.detail ?? '')) {
    return new Error(`时点无效（早于账本的第一条记录，或不是序号、日期 2020-09-30、时间 2020-09-30 12:00）：${error.detail}`);
  }
  return error;
}
