// CRC-32 against the standard check value (CRC-32/ISO-HDLC of "123456789" is cbf43926).
import { expect, it } from 'vitest';
import { crc32Hex } from './crc32.ts';

it('matches the published check value and the empty input', () => {
  expect(crc32Hex(new TextEncoder().encode('123456789'))).toBe('cbf43926');
  expect(crc32Hex(new Uint8Array(0))).toBe('00000000');
});
