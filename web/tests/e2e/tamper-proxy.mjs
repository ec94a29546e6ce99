// A man in the middle for the tamper test: serves the page and the API
// from the real server, but alters one byte of the first inclusion proof
// in every proven trail answer. The page must refuse what it cannot prove.
import http from 'node:http';

export function alterFirstProof(answer) {
  const record = answer.records?.[0];
  if (!record?.proof?.path?.length) throw new Error('no proof to alter');
  const hash = record.proof.path[0];
  record.proof.path[0] = (hash[0] === '0' ? '1' : '0') + hash.slice(1);
  return answer;
}

export async function startTamperProxy(upstream) {
  const server = http.createServer(async (req, res) => {
    const headers = { ...req.headers };
    delete headers.host;
    delete headers['accept-encoding'];
    const response = await fetch(upstream + req.url, { method: req.method, headers });
    let body = Buffer.from(await response.arrayBuffer());
    if (req.url.startsWith('/v1/trail/') && req.url.includes('proofs=1') && response.ok) {
      body = Buffer.from(JSON.stringify(alterFirstProof(JSON.parse(body.toString('utf8')))));
    }
    const out = {};
    for (const [k, v] of response.headers) {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'etag'].includes(k)) out[k] = v;
    }
    res.writeHead(response.status, out);
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
