// CRC-32 (the zip/PNG polynomial) of a byte buffer: a saved model records its weights'
// checksum so a corrupt weights file, or one from another save, is refused on load.
// Not for security; synchronous and available everywhere (crypto.subtle needs a secure context).

let table: Uint32Array | null = null;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 as 8 lowercase hex digits. */
export function crc32Hex(bytes: Uint8Array): string {
  const t = crcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = t[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}
