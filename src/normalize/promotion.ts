/** Promotion hooks (offer components) → Promotion Viewed / Promotion Clicked, one event per promotion. */
import { list, obj, strAt } from '../lib/read';
import type { HookTable } from './types';
import { ev } from './types';

/** `[promotion, …]` or one promotion `{id, name, creative, position}` (a list is no promotion itself: its items follow). */
const promo = (name: 'Promotion Viewed' | 'Promotion Clicked', a: unknown) =>
  [a]
    .concat(list(a))
    .filter(obj)
    .map((p) =>
      ev(name, {
        promotion_id: strAt(p, 'id') || strAt(p, 'promotion_id'),
        creative: strAt(p, 'creative'),
        name: strAt(p, 'name'),
        position: strAt(p, 'position'),
      }),
    );

export const promotion: HookTable = {
  'salla::offer.promotion.clicked': ([a]) => promo('Promotion Clicked', a),
  'promotion::clicked': ([a]) => promo('Promotion Clicked', a),
  'promotion::viewed': ([a]) => promo('Promotion Viewed', a),
  'salla::offer.promotion.viewed': ([a]) => promo('Promotion Viewed', a),
};
