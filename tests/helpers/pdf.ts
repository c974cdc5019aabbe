import { inflateSync } from 'node:zlib';

/*
 * Reads a PDF the way a reader finds its way through one: from `startxref` to the cross-reference
 * table, from each entry's byte offset to its object, from the catalog to the pages in order, and
 * from each page to its content stream, whose shown strings are decoded as WinAnsi (windows-1252).
 * Throws, naming the problem, where the file is not laid out as PDF 1.4 says.
 */
export interface ReadPdf {
  version: string;
  /** Object number -> its dictionary text (before any stream) and its decoded stream, if any. */
  objects: Map<number, { dictionary: string; stream: Buffer | null }>;
  /** Per page, in page order, each string the page shows (one per Tj). */
  pages: string[][];
  /** The trailer's /Size, checked against the cross-reference table. */
  size: number;
}

const ascii = (bytes: Buffer) => bytes.toString('latin1');

function parseXref(bytes: Buffer, at: number): number[] {
  const text = ascii(bytes.subarray(at, at + 64));
  const head = /^xref\r?\n(\d+) (\d+)\r?\n/.exec(text);
  if (!head) throw new Error(`no cross-reference table at byte ${at}`);
  if (head[1] !== '0') throw new Error('the cross-reference table does not start at object 0');
  const count = Number(head[2]);
  const start = at + head[0].length;
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) {
    // Every entry is exactly 20 bytes (PDF 1.4, 3.4.3).
    const entry = ascii(bytes.subarray(start + i * 20, start + (i + 1) * 20));
    const match = /^(\d{10}) (\d{5}) ([nf])( \r| \n|\r\n)$/.exec(entry);
    if (!match) throw new Error(`cross-reference entry ${i} is not 20 bytes of "oooooooooo ggggg n": ${JSON.stringify(entry)}`);
    if (i === 0 && match[3] !== 'f') throw new Error('entry 0 must be free');
    offsets.push(match[3] === 'n' ? Number(match[1]) : -1);
  }
  return offsets;
}

function readObject(bytes: Buffer, number: number, offset: number): { dictionary: string; stream: Buffer | null } {
  const opening = `${number} 0 obj`;
  if (ascii(bytes.subarray(offset, offset + opening.length)) !== opening) {
    throw new Error(`cross-reference offset ${offset} of object ${number} does not point at "${opening}"`);
  }
  const end = bytes.indexOf('endobj', offset, 'latin1');
  const body = bytes.subarray(offset + opening.length, end);
  const streamAt = body.indexOf('stream\n', 0, 'latin1');
  if (streamAt < 0) return { dictionary: ascii(body).trim(), stream: null };
  const dictionary = ascii(body.subarray(0, streamAt)).trim();
  const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1] ?? Number.NaN);
  if (Number.isNaN(length)) throw new Error(`stream of object ${number} has no /Length`);
  const data = body.subarray(streamAt + 'stream\n'.length, streamAt + 'stream\n'.length + length);
  const after = ascii(body.subarray(streamAt + 'stream\n'.length + length)).trim();
  if (after !== 'endstream') throw new Error(`stream of object ${number} is not ${length} bytes long`);
  return { dictionary, stream: dictionary.includes('/FlateDecode') ? inflateSync(data) : data };
}

/*
 * windows-1252's 0x80-0x9F, as the WHATWG encoding index lists them (undefined bytes as U+FFFD);
 * Node's TextDecoder reads the label as Latin-1, which has control codes there.
 */
const cp1252High = '€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ';
const windows1252 = (bytes: number[]) => bytes.map((byte) => (byte >= 0x80 && byte <= 0x9f ? cp1252High[byte - 0x80] : String.fromCharCode(byte))).join('');

/* The strings of `(...) Tj`, with the literal-string escapes of PDF 1.4, 3.2.3. */
function shownStrings(content: Buffer): string[] {
  const text = ascii(content);
  const strings: string[] = [];
  for (let i = text.indexOf('('); i >= 0; i = text.indexOf('(', i)) {
    const bytes: number[] = [];
    let j = i + 1;
    for (; text[j] !== ')'; j++) {
      if (text[j] !== '\\') {
        bytes.push(text.charCodeAt(j));
        continue;
      }
      j++;
      const octal = /^[0-7]{1,3}/.exec(text.slice(j, j + 3));
      if (octal) {
        bytes.push(Number.parseInt(octal[0], 8));
        j += octal[0].length - 1;
      } else {
        bytes.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[text[j]] ?? text.charCodeAt(j));
      }
    }
    if (/^\s*Tj/.test(text.slice(j + 1))) strings.push(windows1252(bytes));
    i = j + 1;
  }
  return strings;
}

const reference = (dictionary: string, key: string) => {
  const match = new RegExp(`/${key} (\\d+) 0 R`).exec(dictionary);
  if (!match) throw new Error(`no /${key} reference in ${dictionary}`);
  return Number(match[1]);
};

export function readPdf(bytes: Buffer): ReadPdf {
  const version = /^%PDF-(\d\.\d)/.exec(ascii(bytes.subarray(0, 16)))?.[1];
  if (!version) throw new Error('no %PDF- header');
  const tail = ascii(bytes.subarray(Math.max(0, bytes.length - 64)));
  const startxref = /startxref\r?\n(\d+)\r?\n%%EOF\s*$/.exec(tail);
  if (!startxref) throw new Error('no startxref and %%EOF at the end');
  const xrefAt = Number(startxref[1]);
  const offsets = parseXref(bytes, xrefAt);
  const objects = new Map<number, { dictionary: string; stream: Buffer | null }>();
  offsets.forEach((offset, number) => {
    if (offset >= 0) objects.set(number, readObject(bytes, number, offset));
  });
  const trailer = ascii(bytes.subarray(xrefAt + ascii(bytes.subarray(xrefAt)).indexOf('trailer')));
  const size = Number(/\/Size (\d+)/.exec(trailer)?.[1]);
  if (size !== offsets.length) throw new Error(`trailer /Size ${size} but ${offsets.length} cross-reference entries`);
  const object = (number: number) => {
    const found = objects.get(number);
    if (!found) throw new Error(`object ${number} is referenced but not in the cross-reference table`);
    return found;
  };
  const catalog = object(reference(trailer, 'Root'));
  const tree = object(reference(catalog.dictionary, 'Pages'));
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(tree.dictionary)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  if (Number(/\/Count (\d+)/.exec(tree.dictionary)?.[1]) !== kids.length) throw new Error('/Count is not the number of /Kids');
  const pages = kids.map((kid) => {
    const content = object(reference(object(kid).dictionary, 'Contents')).stream;
    if (!content) throw new Error(`page ${kid} has no content stream`);
    return shownStrings(content);
  });
  return { version, objects, pages, size };
}
