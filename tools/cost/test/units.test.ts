import { describe, expect, it } from 'vitest';
import { chunks64Kb, readRequestUnits, writeRequestUnits } from '../src/units.js';

describe('request units', () => {
  it('charges a strongly consistent read one unit per started 4 KB', () => {
    expect(readRequestUnits(1, 'strong')).toBe(1);
    expect(readRequestUnits(4096, 'strong')).toBe(1);
    expect(readRequestUnits(4097, 'strong')).toBe(2);
    expect(readRequestUnits(12_288, 'strong')).toBe(3);
  });

  it('halves an eventually consistent read and doubles a transactional one', () => {
    expect(readRequestUnits(4096, 'eventual')).toBe(0.5);
    expect(readRequestUnits(4097, 'eventual')).toBe(1);
    expect(readRequestUnits(4097, 'transactional')).toBe(4);
  });

  it('charges a write one unit per started 1 KB, twice in a transaction', () => {
    expect(writeRequestUnits(900, 'standard')).toBe(1);
    expect(writeRequestUnits(1024, 'standard')).toBe(1);
    expect(writeRequestUnits(1025, 'standard')).toBe(2);
    expect(writeRequestUnits(1024, 'transactional')).toBe(2);
    expect(writeRequestUnits(2049, 'transactional')).toBe(6);
  });

  it('charges an empty item as one unit', () => {
    expect(readRequestUnits(0, 'strong')).toBe(1);
    expect(writeRequestUnits(0, 'standard')).toBe(1);
  });
});

describe('64 KB chunks', () => {
  it('counts each started 64 KB of a payload as one request', () => {
    expect(chunks64Kb(1)).toBe(1);
    expect(chunks64Kb(65_536)).toBe(1);
    expect(chunks64Kb(65_537)).toBe(2);
    expect(chunks64Kb(256 * 1024)).toBe(4);
  });
});
