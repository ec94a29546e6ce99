// The supervisor page: a login, then seven views over the public REST API,
// chosen by the location hash (#/stats, #/targets, #/flags[/ID],
// #/report, #/reconcile, #/trail[/KIND/ID], #/integrity).
import './style.css';
import { ApiError, forgetToken, getJson, savedToken, saveToken } from './lib/api.js';
import { errorBox, fill, h } from './lib/dom.js';
import { renderFlag, renderFlags } from './pages/flags.js';
import { renderIntegrity } from './pages/integrity.js';
import { renderReconcile } from './pages/reconcile.js';
import { renderReport } from './pages/report.js';
import { renderStats } from './pages/stats.js';
import { renderTargets } from './pages/targets.js';
import { renderTrail } from './pages/trail.js';

const app = document.getElementById('app');
const nav = document.getElementById('nav');

function renderLogin(message) {
  nav.hidden = true;
  document.title = '登录 · 消费扶贫账本';
  const token = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, placeholder: '读取令牌' });
  const status = h('div', { class: 'login-status', role: 'status' }, message ?? '');
  const form = h(
    'form',
    {
      class: 'login',
      onsubmit: async (event) => {
        event.preventDefault();
        status.textContent = '正在验证令牌…';
        try {
          // Any valid token may read the latest checkpoint.
          await getJson('/v1/checkpoint', {}, { token: token.value.trim() });
          saveToken(token.value.trim());
          if (!location.hash || location.hash === '#/login') location.hash = '#/stats';
          route();
        } catch (e) {
          status.replaceChildren(errorBox(e instanceof ApiError && e.code === 'unauthenticated' ? new Error('令牌无效，请检查后重试') : e));
        }
      },
    },
    h('h2', {}, '登录'),
    h('p', {}, '请输入扶贫办发放的读取令牌。令牌只保存在本标签页的会话存储中，关闭标签页即清除。'),
    h('label', { for: 'token' }, '令牌'),
    token,
    h('button', { type: 'submit' }, '登录'),
    status,
  );
  fill(app, form);
  token.focus();
}

const TITLES = {
  stats: '统计表', targets: '目标进度', flags: '预警', report: '上报', reconcile: '上报核对', trail: '审计轨迹', integrity: '完整性',
};

const pages = {
  stats: renderStats,
  targets: renderTargets,
  flags: (root, args) => (args.length ? renderFlag(root, args[0]) : renderFlags(root)),
  report: renderReport,
  reconcile: renderReconcile,
  trail: renderTrail,
  integrity: renderIntegrity,
};

async function route() {
  if (!savedToken()) {
    renderLogin();
    return;
  }
  let name;
  let args;
  try {
    [name = 'stats', ...args] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  } catch {
    [name, args] = ['stats', []]; // a malformed address: the default view
  }
  const page = pages[name] ? name : 'stats';
  document.title = `${TITLES[page]} · 消费扶贫账本`;
  nav.hidden = false;
  for (const link of nav.querySelectorAll('a')) {
    link.classList.toggle('active', link.dataset.page === page);
  }
  const root = h('section', { class: `page page-${page}`, 'data-page': page });
  fill(app, root);
  try {
    await pages[page](root, args);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'unauthenticated') {
      forgetToken();
      renderLogin('令牌已失效，请重新登录');
      return;
    }
    root.append(errorBox(e));
  }
}

document.getElementById('logout').addEventListener('click', () => {
  forgetToken();
  location.hash = '#/login';
  renderLogin('已退出');
});
window.addEventListener('hashchange', route);
route();
