import { describe, expect, it } from 'vitest';
import { run, state } from './fixture';

describe('promotion', () => {
  it('Promotion Viewed / Clicked from <salla-offer-modal> (promotion::*)', () => {
    const offer = [
      { id: '55', creative: 'Buy 2 get 1', name: 'Tea offer', position: 'buy_x_get_y_offer_modal' },
    ];
    const p = {
      promotion_id: '55',
      creative: 'Buy 2 get 1',
      name: 'Tea offer',
      position: 'buy_x_get_y_offer_modal',
    };
    expect(run(state(), 'promotion::viewed', [offer])).toEqual([{ name: 'Promotion Viewed', properties: p }]);
    expect(run(state(), 'promotion::clicked', [offer])).toEqual([
      { name: 'Promotion Clicked', properties: p },
    ]);
  });

  it('one Promotion Viewed per visible offer of <salla-offer> (salla::offer.promotion.*)', () => {
    const offers = [
      { id: 55, name: 'Tea offer', creative: '', position: 1 },
      { id: 56, name: 'Beans offer', creative: '10% off', position: 2 },
    ];
    expect(run(state(), 'salla::offer.promotion.viewed', [offers])).toEqual([
      { name: 'Promotion Viewed', properties: { promotion_id: '55', name: 'Tea offer', position: '1' } },
      {
        name: 'Promotion Viewed',
        properties: { promotion_id: '56', name: 'Beans offer', creative: '10% off', position: '2' },
      },
    ]);
    expect(run(state(), 'salla::offer.promotion.clicked', [[offers[1]]])).toEqual([
      {
        name: 'Promotion Clicked',
        properties: { promotion_id: '56', name: 'Beans offer', creative: '10% off', position: '2' },
      },
    ]);
  });

  it('skips entries that are not objects', () => {
    expect(run(state(), 'promotion::viewed', [[null, 3, 'x']])).toEqual([]);
  });
});
