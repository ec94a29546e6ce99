// A man in the middle for the tamper tests: serves the page and the API
// from the real server, but passes every proven trail answer through
// `tamper` (by default: one hex digit of the first inclusion proof
// changed). The page must refuse what it cannot prove.
import http from 'node:http';

export function alterFirstProof(answer) {
  const record = answer.records?.[0];
  if (!record?.proof?.path?.length) throw new Error('no proof to alter');
  const hash = record.proof.path[0];
  record.proof.path[0] = (hash[0] === '0' ? '1' : '0') + hash.slice(1);
  return answer;
}

// Leaves the entity's own first record out of the answer, its chain link
// still listed: a server hiding, say, a revocation.
export function hideFirstOwnRecord(answer) {
  const index = answer.records.findIndex((r) => r.stream === answer.entity);
  if (index < 0) throw new Error('no record of the entity stream to hide');
  answer.records.splice(index, 1);
  return answer;
}

// Strips the witnesses' cosignatures from the checkpoint a proven answer
// carries: the page must refuse it below the pinned quorum.
export function stripCosignatures(answer) {
  if (!answer.checkpoint_note) throw new Error('no checkpoint note to strip');
  answer.checkpoint_note.cosignatures = [];
  return answer;
}

// The identity: an honest proxy, whose upstream may be switched
// (setUpstream) to show the page another server behind the same origin.
export const passThrough = (answer) => answer;

export async function startTamperProxy(upstream, tamper = alterFirstProof) {
  const server = http.createServer(async (req, res) => {
    const headers = { ...req.headers };
    delete headers.host;
    delete headers['accept-encoding'];
    const response = await fetch(upstream + req.url, { method: req.method, headers });
    let body = Buffer.from(await response.arrayBuffer());
    if (req.url.startsWith('/v1/trail/') && req.url.includes('proofs=1') && response.ok) {
      body = Buffer.from(JSON.stringify(tamper(JSON.parse(body.toString('utf8')))));
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
    setUpstream: (url) => {
      upstream = url;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
