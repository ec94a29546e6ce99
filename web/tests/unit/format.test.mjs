import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fenToWanYuan, groupWanYuan, nowBeijingRfc3339, formatTime } from '../../src/lib/format.js';

test('fen to 万元 with two decimals, half up, grouped', () => {
  assert.equal(fenToWanYuan(149692739), '149.69');
  assert.equal(fenToWanYuan(48765236), '48.77');
  assert.equal(fenToWanYuan(400000000000), '400,000.00'); // 40亿元
  assert.equal(fenToWanYuan(5000), '0.01');
  assert.equal(fenToWanYuan(4999), '0.00');
  assert.equal(fenToWanYuan(0), '0.00');
  assert.throws(() => fenToWanYuan(1.5), /整数分/);
});

test('the API\'s 万元 text is grouped the same way', () => {
  assert.equal(groupWanYuan('149.69'), '149.69');
  assert.equal(groupWanYuan('400000.00'), '400,000.00');
  assert.equal(groupWanYuan('1234567.89'), '1,234,567.89');
});

test('times in Beijing time', () => {
  assert.equal(formatTime('2020-09-05T02:15:01.123Z'), '2020-09-05 10:15:01');
  assert.equal(nowBeijingRfc3339(new Date('2020-09-05T02:15:01.123Z')), '2020-09-05T10:15:01+08:00');
});
