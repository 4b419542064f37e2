/** Promotion hooks (offer components) → Promotion Viewed / Promotion Clicked, one event per promotion. */
import { list, obj, strAt } from '../lib/read';
import type { HookTable, Normalizer } from './types';
import { ev } from './types';

/** `[promotion, …]` or one promotion `{id, name, creative, position}`. */
const promo =
  (name: 'Promotion Viewed' | 'Promotion Clicked'): Normalizer =>
  ([a]) =>
    // (a list is no promotion itself: its items follow)
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

const viewed = promo('Promotion Viewed');
const clicked = promo('Promotion Clicked');

export const promotion: HookTable = {
  'promotion::viewed': viewed,
  'promotion::clicked': clicked,
  'salla::offer.promotion.viewed': viewed,
  'salla::offer.promotion.clicked': clicked,
};
