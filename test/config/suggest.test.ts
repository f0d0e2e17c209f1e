import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, didYouMean } from '../../src/suggest.ts';

test('closest finds typos, swapped letters included, and nothing for far words', () => {
  assert.equal(closest('hots', ['host', 'port']), 'host');
  assert.equal(closest('tpc', ['tcp', 'tls', 'http']), 'tcp');
  assert.equal(closest('statuss', ['status', 'headers']), 'status');
  assert.equal(closest('Port', ['port']), 'port');
  assert.equal(closest('database', ['host', 'port']), undefined);
  assert.equal(didYouMean('rnu', ['run', 'validate']), ' (did you mean "run"?)');
  assert.equal(didYouMean('zzz', ['run']), '');
});
