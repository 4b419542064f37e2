import { describe, expect, it } from 'vitest';
import { args, run, state } from './fixture';

describe('promotion', () => {
  it('Promotion Viewed / Clicked from <salla-offer-modal> (promotion::*)', () => {
    // position is `${offer_type}_offer_modal`; offer 55 gets products, so its type is 'products'.
    const p = {
      promotion_id: '55',
      creative: 'Buy 2 get 1',
      name: 'Tea offer',
      position: 'products_offer_modal',
    };
    expect(run(state(), 'promotion::viewed', args('promotion::viewed', 0))).toEqual([
      { name: 'Promotion Viewed', properties: p },
    ]);
    expect(run(state(), 'promotion::clicked', args('promotion::clicked', 0))).toEqual([
      { name: 'Promotion Clicked', properties: p },
    ]);
  });

  it('one Promotion Viewed per visible offer of <salla-offer> (salla::offer.promotion.*)', () => {
    expect(run(state(), 'salla::offer.promotion.viewed', args('salla::offer.promotion.viewed', 0))).toEqual([
      { name: 'Promotion Viewed', properties: { promotion_id: '55', name: 'Tea offer', position: '1' } },
      {
        name: 'Promotion Viewed',
        properties: { promotion_id: '56', name: 'Beans offer', creative: '10% off', position: '2' },
      },
    ]);
    // a click on the second offer card
    expect(run(state(), 'salla::offer.promotion.clicked', args('salla::offer.promotion.clicked', 0))).toEqual(
      [
        {
          name: 'Promotion Clicked',
          properties: { promotion_id: '56', name: 'Beans offer', creative: '10% off', position: '2' },
        },
      ],
    );
  });

  it('takes a Segment-shaped promotion_id where the payload has no id', () => {
    const p = { promotion_id: 'p9', name: 'Eid', creative: 'banner', position: 'top' };
    expect(run(state(), 'promotion::clicked', [p])).toEqual([
      {
        name: 'Promotion Clicked',
        properties: { promotion_id: 'p9', creative: 'banner', name: 'Eid', position: 'top' },
      },
    ]);
  });

  it('skips entries that are not objects', () => {
    expect(run(state(), 'promotion::viewed', [[null, 3, 'x']])).toEqual([]);
  });
});
