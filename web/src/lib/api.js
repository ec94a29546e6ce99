// The REST API of SPEC §5, as the logged-in user: every request carries the
// read token kept in session storage (gone when the tab closes). Errors
// become ApiError with the problem+json `code`, and a Chinese message.

const TOKEN_KEY = 'fupin-ledger.token';

export function savedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

const MESSAGES = {
  unauthenticated: '令牌无效或已失效，请重新登录',
  permission_denied: '权限不足：该数据不在您的令牌范围内',
  not_found: '未找到',
  invalid_argument: '请求参数有误',
  unavailable: '服务暂不可用，请稍后再试',
  data_loss: '账本数据校验失败',
};

export class ApiError extends Error {
  // problem: the whole problem+json answer (a form's parse errors ride in
  // its `errors`), {} when the server sent none.
  constructor(status, code, detail, problem = {}) {
    super(`${MESSAGES[code] ?? `请求失败（HTTP ${status}）`}${detail ? `：${detail}` : ''}`);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.problem = problem;
  }
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function request(method, path, { body, token = savedToken(), contentType = 'application/json' } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = contentType;
  let response;
  try {
    response = await fetch(path, { method, headers, body, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'network', `无法连接账本服务器（${e.message}）`);
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      // not problem+json (a proxy's page): the status says enough
    }
    throw new ApiError(response.status, problem.code ?? `http_${response.status}`, problem.detail, problem);
  }
  return response;
}

export async function getJson(path, params, options) {
  const response = await request('GET', path + query(params), options);
  return response.json();
}

export async function postJson(path, value) {
  const response = await request('POST', path, { body: JSON.stringify(value) });
  return response.json();
}

// Posts raw bytes (a file the user chose) and reads the JSON answer.
export async function postBytes(path, params, bytes, contentType = 'application/octet-stream') {
  const response = await request('POST', path + query(params), { body: bytes, contentType });
  return response.json();
}

// Fetches an attachment with the token and hands it to the browser as a
// download named by the server's Content-Disposition.
export async function download(path, params, fallbackName) {
  const response = await request('GET', path + query(params));
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
