/** Client addresses as limits key them (issue 15 §4): one key per client however the address is written. */
import { describe, expect, it } from 'vitest';
import { clientKey } from '../../sync-server/http/client.js';

describe('clientKey', () => {
  it.each([
    ['10.5.5.5', '10.5.5.5'],
    ['::ffff:10.5.5.5', '10.5.5.5'],
    ['::FFFF:10.5.5.5', '10.5.5.5'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::ffff', '2001:db8:1:2::/64'],
  ])('%s is %s', (address, key) => {
    expect(clientKey(address, '127.0.0.1')).toBe(key);
  });

  it('does not believe what does not parse as an address: the proxy that sent it is the key', () => {
    for (const odd of ['010.5.5.5', '10.5.5.5:1234', 'unknown', '', '1.2.3.4.5']) expect(clientKey(odd, '::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientKey('nonsense', 'nonsense')).toBe('unknown');
    // Odd spellings of a loopback address are not believed either, so they cannot pass for this machine.
    for (const odd of ['0177.0.0.1', '2130706433']) expect(clientKey(odd, '10.0.0.2')).toBe('10.0.0.2');
  });
});
