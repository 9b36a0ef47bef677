// `npx tsx bench/heap-snapshot-summary.ts FILE.heapsnapshot [--top 25]`: what a V8 heap snapshot
// holds (such as `npm run bench -- --dashboards-only --heap-snapshot DIR` takes of `next start`
// after the load). A snapshot is taken after a full garbage collection, so its total is the live
// set: compared with the heap the process had reserved, it tells a leak or an oversized cache
// (a large live set) from a heap V8 let grow (a small one). Prints the self size by node type and
// by constructor, and the objects that retain the most (their retained size from the dominator
// tree, weak edges ignored) with the chain of dominators that keeps each alive, and how many
// requests (`ServerResponse` objects) the heap still holds: with nothing leaking, at most the
// connections in flight. Reads snapshots larger than one JavaScript string (V8 caps a string at
// 512 MB; a snapshot taken during a load can be larger) section by section.
import fs from 'node:fs';
import { parseArgs } from 'node:util';

type Snapshot = {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
    node_count: number;
  };
  nodes: ArrayLike<number>;
  edges: ArrayLike<number>;
  strings: string[];
};

/** The byte offset just after `"key":[` in the snapshot's text (its sections are in this order). */
function sectionStart(buf: Buffer, key: string, from = 0): number {
  const at = buf.indexOf(`"${key}":[`, from, 'latin1');
  if (at < 0) throw new Error(`not a V8 heap snapshot: no "${key}" section`);
  return at + key.length + 4;
}

/** The unsigned integers of a section (`nodes`, `edges`) up to its closing bracket. */
function readNumbers(buf: Buffer, start: number, expected: number): Float64Array {
  const out = new Float64Array(expected);
  let n = 0;
  let value = -1;
  for (let i = start; i < buf.length; i += 1) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) value = (value < 0 ? 0 : value * 10) + (c - 48);
    else {
      if (value >= 0) {
        out[n] = value;
        n += 1;
        value = -1;
      }
      if (c === 93) break; // ']'
    }
  }
  if (n !== expected)
    throw new Error(`heap snapshot section holds ${n} numbers, ${expected} expected`);
  return out;
}

/** Parses a snapshot section by section: the text as a whole may exceed V8's string limit. */
function readSnapshot(file: string): Snapshot {
  const buf = fs.readFileSync(file);
  const nodesAt = sectionStart(buf, 'nodes');
  const header = JSON.parse(
    `${buf.toString('utf8', 0, nodesAt - '"nodes":['.length).replace(/,\s*$/, '')}}`,
  ) as {
    snapshot: Snapshot['snapshot'] & { edge_count: number };
  };
  const { meta, node_count: nodeCount, edge_count: edgeCount } = header.snapshot;
  const nodes = readNumbers(buf, nodesAt, nodeCount * meta.node_fields.length);
  const edgesAt = sectionStart(buf, 'edges', nodesAt);
  const edges = readNumbers(buf, edgesAt, edgeCount * meta.edge_fields.length);
  const stringsAt = sectionStart(buf, 'strings', edgesAt) - 1;
  const end = buf.lastIndexOf(']');
  const strings = JSON.parse(buf.toString('utf8', stringsAt, end + 1)) as string[];
  return { snapshot: header.snapshot, nodes, edges, strings };
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' } },
  allowPositionals: true,
});
const TOP = Number(values.top);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

function summarize(file: string): void {
  const snap = readSnapshot(file);
  const { meta } = snap.snapshot;
  const NF = meta.node_fields.length;
  const EF = meta.edge_fields.length;
  const nType = meta.node_fields.indexOf('type');
  const nName = meta.node_fields.indexOf('name');
  const nSelf = meta.node_fields.indexOf('self_size');
  const nEdges = meta.node_fields.indexOf('edge_count');
  const eType = meta.edge_fields.indexOf('type');
  const eTo = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const weak = edgeTypes.indexOf('weak');
  const { nodes, edges, strings } = snap;
  const count = nodes.length / NF;

  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i += 1) {
    firstEdge[i] = e;
    e += nodes[i * NF + nEdges]! * EF;
    firstEdge[i + 1] = e;
  }
  const typeOf = (i: number) => nodeTypes[nodes[i * NF + nType]!]!;
  const nameOf = (i: number) => strings[nodes[i * NF + nName]!]!;
  const selfOf = (i: number) => nodes[i * NF + nSelf]!;
  const label = (i: number) => {
    const t = typeOf(i);
    const n = nameOf(i);
    return t === 'string' || t === 'concatenated string' || t === 'sliced string'
      ? `string "${n.slice(0, 40).replace(/\s+/g, ' ')}"`
      : `${t} ${n.slice(0, 80)}`;
  };

  // Self size by type and by constructor (objects) or type (everything else).
  let total = 0;
  const byType = new Map<string, number>();
  const byName = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < count; i += 1) {
    const s = selfOf(i);
    total += s;
    const t = typeOf(i);
    byType.set(t, (byType.get(t) ?? 0) + s);
    const key =
      t === 'object' || t === 'closure' || t === 'native' ? `${t} ${nameOf(i)}` : `(${t})`;
    const agg = byName.get(key) ?? { bytes: 0, count: 0 };
    agg.bytes += s;
    agg.count += 1;
    byName.set(key, agg);
  }
  console.log(`${file}: ${count.toLocaleString('en')} objects, ${mb(total)} live (self sizes)`);
  const responses = byName.get('object ServerResponse')?.count ?? 0;
  console.log(
    `Requests the heap holds (ServerResponse objects): ${responses} (with nothing leaking, at ` +
      'most the connections in flight)',
  );
  console.log('\nSelf size by type:');
  for (const [t, s] of [...byType].sort((a, b) => b[1] - a[1]))
    console.log(`  ${mb(s).padStart(10)}  ${t}`);
  console.log('\nSelf size by constructor:');
  for (const [k, v] of [...byName].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, TOP))
    console.log(`  ${mb(v.bytes).padStart(10)}  ${String(v.count).padStart(9)}  ${k}`);

  // Dominators (Cooper, Harvey and Kennedy's iterative algorithm) over the strong edges from the
  // root (node 0), in reverse postorder.
  const order = new Int32Array(count).fill(-1); // postorder number
  const post: number[] = [];
  const stack: number[] = [0];
  const cursor = new Uint32Array(count);
  const visited = new Uint8Array(count);
  visited[0] = 1;
  for (let i = 0; i < count; i += 1) cursor[i] = firstEdge[i]!;
  while (stack.length) {
    const v = stack[stack.length - 1]!;
    let pushed = false;
    while (cursor[v]! < firstEdge[v + 1]!) {
      const e = cursor[v]!;
      cursor[v] = e + EF;
      if (edges[e + eType] === weak) continue;
      const w = edges[e + eTo]! / NF;
      if (!visited[w]) {
        visited[w] = 1;
        stack.push(w);
        pushed = true;
        break;
      }
    }
    if (!pushed) {
      stack.pop();
      order[v] = post.length;
      post.push(v);
    }
  }
  // Predecessors of the reachable nodes, as one flat list per node.
  const predCount = new Uint32Array(count + 1);
  for (let v = 0; v < count; v += 1) {
    if (!visited[v]) continue;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += EF) {
      if (edges[e + eType] === weak) continue;
      const w = edges[e + eTo]! / NF + 1;
      predCount[w] = predCount[w]! + 1;
    }
  }
  for (let i = 0; i < count; i += 1) predCount[i + 1] = predCount[i + 1]! + predCount[i]!;
  const preds = new Uint32Array(predCount[count]!);
  const fill = predCount.slice(0, count);
  for (let v = 0; v < count; v += 1) {
    if (!visited[v]) continue;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += EF) {
      if (edges[e + eType] === weak) continue;
      const w = edges[e + eTo]! / NF;
      preds[fill[w]!] = v;
      fill[w] = fill[w]! + 1;
    }
  }
  const idom = new Int32Array(count).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (order[a]! < order[b]!) a = idom[a]!;
      while (order[b]! < order[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let k = post.length - 2; k >= 0; k -= 1) {
      const v = post[k]!;
      let d = -1;
      for (let p = predCount[v]!; p < predCount[v + 1]!; p += 1) {
        const u = preds[p]!;
        if (idom[u] === -1) continue;
        d = d === -1 ? u : intersect(u, d);
      }
      if (d !== -1 && idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(count);
  for (const v of post) retained[v] = retained[v]! + selfOf(v);
  for (const v of post) {
    if (v === 0) continue;
    const d = idom[v]!;
    retained[d] = retained[d]! + retained[v]!;
  }

  // The largest retainers that are not the synthetic roots, with their dominator chains.
  const candidates = post
    .filter((v) => v !== 0 && typeOf(v) !== 'synthetic' && retained[v]! > 1024 * 1024)
    .sort((a, b) => retained[b]! - retained[a]!);
  console.log(`\nLargest retainers (of ${mb(retained[0]!)} reachable):`);
  const shown: number[] = [];
  for (const v of candidates) {
    // Skip an object inside one already shown unless it holds most of the other's size.
    let inside = false;
    for (let d = idom[v]!; d !== 0; d = idom[d]!) {
      if (shown.includes(d) && retained[v]! < 0.8 * retained[d]!) inside = true;
    }
    if (inside) continue;
    shown.push(v);
    const chain: string[] = [];
    for (let d = idom[v]!; d !== 0 && chain.length < 6; d = idom[d]!) chain.push(label(d));
    console.log(`  ${mb(retained[v]!).padStart(10)}  ${label(v)}`);
    if (chain.length) console.log(`              held by: ${chain.join(' <- ')}`);
    if (shown.length >= TOP) break;
  }
}

for (const file of positionals) summarize(file);
