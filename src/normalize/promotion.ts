/** Promotion hooks (offer components) → Promotion Viewed / Promotion Clicked, one event per promotion. */
import { list, obj, strAt } from './values';
import type { Emitted, HookTable } from './types';

/** `[promotion, …]` or one promotion `{id, name, creative, position}`. */
const promo =
  (name: 'Promotion Viewed' | 'Promotion Clicked') =>
  ([a]: unknown[]): Emitted[] =>
    (Array.isArray(a) ? list(a) : [a]).filter(obj).map((p) => ({
      name,
      properties: {
        promotion_id: strAt(p, 'id') || strAt(p, 'promotion_id'),
        creative: strAt(p, 'creative'),
        name: strAt(p, 'name'),
        position: strAt(p, 'position'),
      },
    }));

export const promotion: HookTable = {
  'promotion::viewed': promo('Promotion Viewed'),
  'promotion::clicked': promo('Promotion Clicked'),
  'salla::offer.promotion.viewed': promo('Promotion Viewed'),
  'salla::offer.promotion.clicked': promo('Promotion Clicked'),
};
