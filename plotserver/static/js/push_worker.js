// push_worker.js - one page's WebSocket to <prefix>/bokeh/sub, in a worker
// (started by net.js, one per socket).  Each frame, text or binary, is
// decoded here (frames.js) and handed to the page with its typed columns
// transferred, so the page's main thread never parses a push.
//
// Page -> worker: {op: 'open', url}, {op: 'send', text}, {op: 'close'}.
// Worker -> page: {event: 'open'}, {event: 'close'},
//   {event: 'frame', frame, receivedAt, decodedAt, bytes, binary}; times in ms since
//   1970 (performance.timeOrigin + now), as the two clocks' origins differ.

import { decodeMessage } from './frames.js';

let socket = null;

function now() {
  return performance.timeOrigin + performance.now();
}

function open(url) {
  socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('open', () => postMessage({ event: 'open' }));
  socket.addEventListener('message', (event) => {
    const receivedAt = now();
    const { frame, bytes, binary } = decodeMessage(event.data);
    const decodedAt = now();
    postMessage({ event: 'frame', frame, receivedAt, decodedAt, bytes, binary }, frame ? frame.buffers : []);
  });
  // 'error' is always followed by 'close'.
  socket.addEventListener('close', () => postMessage({ event: 'close' }));
}

addEventListener('message', ({ data }) => {
  if (data.op === 'open' && socket === null) open(data.url);
  else if (data.op === 'send' && socket && socket.readyState === WebSocket.OPEN) socket.send(data.text);
  else if (data.op === 'close' && socket) socket.close();
});
