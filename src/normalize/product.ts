/**
 * Product hooks → Product Viewed (server event, also the one rendered into `Salla.init`), Product
 * List Viewed / Filtered, Products Searched, Product Clicked, Product Shared, Product Reviewed.
 */
import type { ListFacet, Product } from '../schema';
import { count, first, get, list, money, moneyAt, named, qty, rating, str, strAt } from '../lib/read';
import { readProduct } from './readProduct';
import type { Emitted, HookState, HookTable } from './types';
import { ev, seen } from './types';

/** Catalog products (API `Product`s) with their 1-based list position, after `before` listed already. */
const items = (v: unknown, s: HookState, before = 0): Product[] =>
  list(v).map((p, i) => {
    const r = readProduct(p, s.storeCurrency, true);
    r.position = (r.position || i + 1) + before;
    return r;
  });

/**
 * `q`: the query or `{query}` (the server event's item: `{query, total}`); `products`: the results,
 * which `late` (the SDK hook, which the server event if any precedes) has and the server event not.
 */
function searched(q: unknown, s: HookState, products?: Product[], late?: true): Emitted | void {
  const query = named(q, 'query');
  if (DEBUG && !query) s.log('no query');
  if (query && !seen(s, 'q' + query, late))
    return ev('Products Searched', {
      query,
      total_results: products ? products.length : count(get(q, 'total')),
      products,
    });
}

export const productHooks: HookTable = {
  'salla-bought-together::product.clicked': ([a], s) => {
    const d = first(a);
    return ev('Product Clicked', {
      ...readProduct(get(d, 'product'), s.storeCurrency, true),
      position: qty(get(d, 'position')),
      list_id: 'pdp_fbt',
      source: 'pdp_fbt',
    });
  },
  // `{products}` / `[{product, position}]` from <salla-bought-together>: the products bought with
  // this one, a recommendation (as Salla's engine names it), positions from 1.
  'salla-bought-together::list.viewed': ([d], s) =>
    ev('Recommendation List Viewed', {
      recommendation_type: 'fbt',
      source: 'pdp_fbt',
      products: items(get(d, 'products'), s),
    }),
  // `(SuccessResponse, {products: [{product_id, comment, rating}], order_id})`: one event per product.
  // (`products`: a list, or an object of them by key; a string's letters are no products)
  'rating::products.rated': ([, d]) =>
    list(Object.values(get(d, 'products') || {}))
      .filter((p) => strAt(p, 'product_id'))
      .map((p) =>
        ev('Product Reviewed', {
          product_id: strAt(p, 'product_id')!,
          order_id: strAt(d, 'order_id'),
          review_body: strAt(p, 'comment'),
          rating: rating(get(p, 'rating')),
        }),
      ),
  // `(ProductResponse.search {data: Product[]}, query)` from `salla.product.search()`.
  'product::search.results': ([resp, q], s) => searched(q, s, items(get(resp, 'data'), s), true),
  // Server event on the search page: `{query, total}` or `[{query, total}]`.
  'Products Searched': ([payload], s) => searched(first(payload), s),
  // `[item]`; `value` is price × quantity.
  'Product Viewed': ([payload], s) => {
    const i = first(payload);
    const p = readProduct(i, s.storeCurrency);
    // Kept for Product Shared (`viewed`); the event gets a copy of it.
    return ev('Product Viewed', {
      ...(s.viewed = {
        ...p,
        ...{ cart_item_id: undefined }, // (not a property of Product Viewed: the line's is left out)
        value: moneyAt(i, 'value') ?? money(p.price! * (p.quantity || 1)),
        // Reached from a list, slider or search: where (as the components recorded it; `position`,
        // `source`, `request_id`, in the order sent, or none at all), the product's own position first.
        ...s.landing,
        position: p.position || s.landing?.position,
      }),
    });
  },
  // `{share_via, url, title}` from <salla-social-share>: a copy of the product viewed on this page.
  'share-element': ([d], s) =>
    ev('Product Shared', {
      ...s.viewed,
      ...{ value: undefined }, // (not a property of Product Shared: the viewed product's is left out)
      share_via: strAt(d, 'share_via'),
      url: s.viewed?.url || strAt(d, 'url'),
    }),
  // `{data: Product[], nextPage, source, sourceValue}` from <salla-products-list>; `nextPage` is the
  // URL of the page just fetched (its page, sort and filters).
  'salla-products-list::products.fetched': ([r], s) => {
    const sorts: ListFacet[] = [];
    const filters: ListFacet[] = [];
    const source = strAt(r, 'source');
    const q = new URLSearchParams(strAt(r, 'nextPage')?.split('?')[1]);
    q.forEach((value, k) => {
      // A range keeps its bound: `filters[price][min]` is `price.min`.
      const f = /^filters\[(.*?)\](?:\[(.*?)\])?/.exec(k);
      if (k === 'sort') sorts.push({ type: k, value });
      else if (f) filters.push({ type: f[2] ? f[1] + '.' + f[2] : f[1]!, value });
    });
    const sv = get(r, 'sourceValue');
    // Bounded, and undefined when nothing names the list. (A list `sv` is no string: its items follow.)
    const list_id = str(
      [s.pageSlug, s.pageId, source, sv]
        .concat(list(sv))
        .map((x) => str(x))
        .filter(Boolean)
        .join('_'),
    );
    // Infinite scroll: the positions of page 2 follow page 1's. (A Map: a list named `constructor`
    // reads no Object.prototype; an unnamed list is the key undefined.)
    const listed = (s.listed ||= new Map());
    const before = +q.get('page')! > 1 ? listed.get(list_id) || 0 : 0; // (no page: +null is 0)
    const products = items(get(r, 'data'), s, before);
    listed.set(list_id, before + products.length);
    return ev(filters[0] ? 'Product List Filtered' : 'Product List Viewed', {
      list_id,
      category: str(source === 'categories' && s.pageTitle?.split('|')[0]), // (str(false): undefined)
      sorts: sorts[0] && sorts,
      products,
      filters: filters[0] && filters,
    });
  },
};
