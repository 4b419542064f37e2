import { describe, expect, it } from 'vitest';
import { args, P102, P103, run, state } from './fixture';

/** The two API products of the quick search for "tea" (their `quantity` is stock, not reported). */
const TEA = [
  { ...P103, position: 1 },
  {
    product_id: '104',
    name: 'Karak Chai Blend',
    sku: 'TEA-KRK-200',
    category: 'Tea',
    brand: 'Leaf & Co',
    price: 35,
    currency: 'SAR',
    url: 'http://127.0.0.1:4400/p/104',
    image_url: 'http://127.0.0.1:4400/assets/img/rose.svg',
    position: 2,
  },
];
/** A <salla-products-list> page: 0 a category (sorted), 1-2 `latest` pages 1 and 2, 3 the search with filters. */
const listPage = (nth: number) =>
  args('salla-products-list::products.fetched', nth) as [Record<string, unknown>];

describe('product: Product Viewed, Product Shared', () => {
  it('Product Viewed from the server event rendered into Salla.init', () => {
    expect(
      run(state({ pageSlug: 'product.single', pageId: '102' }), 'Product Viewed', args('Product Viewed', 0)),
    ).toEqual([{ name: 'Product Viewed', properties: { ...P102, quantity: 1, value: 85 } }]);
  });

  it('Product Shared copies the product viewed; neither event is mutated afterwards', () => {
    const s = state({ pageSlug: 'product.single', pageId: '102' });
    const [viewed] = run(s, 'Product Viewed', args('Product Viewed', 0));
    const before = structuredClone(viewed);
    // <salla-social-share> on /p/102: the addtoany callback (WhatsApp), then copyLink
    const [shared] = run(s, 'share-element', args('share-element', 0));
    expect(shared).toEqual({
      name: 'Product Shared',
      properties: { ...P102, quantity: 1, share_via: 'whatsapp' },
    });
    const [again] = run(s, 'share-element', args('share-element', 1));
    expect(again?.properties).toEqual({ ...P102, quantity: 1, share_via: 'copy_link' });
    expect(viewed).toEqual(before);
    expect(shared?.properties).toMatchObject({ share_via: 'whatsapp' });
  });

  it('Product Shared off a product page has the shared URL only', () => {
    // the addtoany callback (X) on the home page: the URL is the page's, with its query
    expect(run(state(), 'share-element', args('share-element', 2))).toEqual([
      { name: 'Product Shared', properties: { share_via: 'x', url: 'http://127.0.0.1:4400/?tracker=0' } },
    ]);
  });
});

describe('product: lists', () => {
  it('Product List Viewed from <salla-products-list> (list id from page, source and source value)', () => {
    const s = state({ pageSlug: 'product.index', pageId: '12', pageTitle: 'Tea' });
    // <salla-products-list source="categories" source-value="12" sort-by="priceFromTopToLow">
    expect(run(s, 'salla-products-list::products.fetched', listPage(0))).toEqual([
      {
        name: 'Product List Viewed',
        properties: {
          list_id: 'product.index_12_categories_12',
          category: 'Tea',
          sorts: [{ type: 'sort', value: 'priceFromTopToLow' }],
          products: TEA,
        },
      },
    ]);
  });

  it('a list nothing names has no list_id (not an empty one), and a long name is bounded', () => {
    const [r] = listPage(0);
    delete r.source;
    delete r.sourceValue;
    const [unnamed] = run(state({ pageSlug: undefined }), 'salla-products-list::products.fetched', [r]);
    expect(unnamed?.properties).toHaveProperty('list_id', undefined);
    const [long] = run(state({}), 'salla-products-list::products.fetched', [
      { ...r, source: 'tags', sourceValue: Array(100).fill('x'.repeat(400)) },
    ]);
    expect((long?.properties as { list_id: string }).list_id).toHaveLength(500);
  });

  it('Product List Filtered when the list has filters applied', () => {
    const s = state({ pageSlug: 'product.index.search' });
    // the search page ?q=tea&filters[brand_id][]=1030&filters[price][min]=10&filters[price][max]=50:
    // brand 1030 is Sencha's only
    expect(run(s, 'salla-products-list::products.fetched', listPage(3))).toEqual([
      {
        name: 'Product List Filtered',
        properties: {
          list_id: 'product.index.search_search_tea',
          filters: [
            { type: 'brand_id', value: '1030' },
            { type: 'price.min', value: '10' },
            { type: 'price.max', value: '50' },
          ],
          products: [TEA[0]],
        },
      },
    ]);
  });

  it('page 2 of an infinite-scroll list is another Product List Viewed of the same list, positions following page 1', () => {
    const s = state({ pageSlug: 'index' });
    const [p1] = run(s, 'salla-products-list::products.fetched', listPage(1));
    const [p2] = run(s, 'salla-products-list::products.fetched', listPage(2));
    const ids = (e: typeof p1) => (e?.properties as { products: Array<{ product_id: string }> }).products;
    expect([p1?.name, p2?.name]).toEqual(['Product List Viewed', 'Product List Viewed']);
    expect(p2?.properties).toMatchObject({ list_id: 'index_latest' });
    expect(p1?.properties).toMatchObject({ list_id: 'index_latest' });
    expect(ids(p1).map((p) => p.product_id)).toEqual(['101', '102', '103', '104']);
    expect(ids(p2).map((p) => p.product_id)).toEqual(['105', '106']);
    const positions = (e: typeof p1) => (e?.properties as { products: Array<{ position: number }> }).products;
    expect(positions(p1).map((p) => p.position)).toEqual([1, 2, 3, 4]);
    expect(positions(p2).map((p) => p.position)).toEqual([5, 6]);
    // Page 1 again (a new sort, a reload of the list): from 1 again.
    const [again] = run(s, 'salla-products-list::products.fetched', listPage(1));
    expect(positions(again).map((p) => p.position)).toEqual([1, 2, 3, 4]);
  });

  it('a list named like an Object.prototype member ("constructor") whose first page seen is page 2: positions from 1, not from the inherited function', () => {
    const s = state({ pageSlug: undefined });
    const [a] = listPage(2);
    const [p2] = run(s, 'salla-products-list::products.fetched', [{ ...a, source: 'constructor' }]);
    expect(p2?.properties).toMatchObject({ list_id: 'constructor' });
    const products = (p2?.properties as { products: Array<{ position: unknown }> }).products;
    expect(products.map((p) => p.position)).toEqual([1, 2]);
  });

  it('the frequently-bought-together list (a Recommendation List Viewed, positions from 1) and its clicks', () => {
    const s = state({ pageSlug: 'product.single', pageId: '101' });
    const [list] = run(
      s,
      'salla-bought-together::list.viewed',
      args('salla-bought-together::list.viewed', 0),
    );
    expect(list).toEqual({
      name: 'Recommendation List Viewed',
      properties: { recommendation_type: 'fbt', source: 'pdp_fbt', products: TEA },
    });
    expect(TEA.map((p) => p.position)).toEqual([1, 2]);
    // a click on the second recommended product
    const [click] = run(
      s,
      'salla-bought-together::product.clicked',
      args('salla-bought-together::product.clicked', 0),
    );
    expect(click).toEqual({
      name: 'Product Clicked',
      properties: { ...TEA[1], position: 2, list_id: 'pdp_fbt', source: 'pdp_fbt' },
    });
  });
});

describe('product: where it was reached from', () => {
  it('Product Viewed carries the list, slider or search the page was reached from', () => {
    const s = state({
      pageSlug: 'product.single',
      landing: { position: 4, source: 'latest', request_id: 'req-9' },
    });
    const [e] = run(s, 'Product Viewed', args('Product Viewed', 0));
    expect(e?.properties).toMatchObject({
      product_id: '102',
      position: 4,
      source: 'latest',
      request_id: 'req-9',
    });
    const [plain] = run(state({ pageSlug: 'product.single' }), 'Product Viewed', args('Product Viewed', 0));
    // (none is sent: a key left out and one that holds undefined serialize the same)
    const sent = JSON.parse(JSON.stringify(plain?.properties));
    expect(sent).toMatchObject({ product_id: '102' });
    expect(sent).not.toHaveProperty('position');
    expect(sent).not.toHaveProperty('source');
    expect(sent).not.toHaveProperty('request_id');
  });
});

describe('product: Products Searched', () => {
  it('from the server event on the search page ({query, total})', () => {
    expect(
      run(state({ pageSlug: 'product.index.search' }), 'Products Searched', args('Products Searched', 0)),
    ).toEqual([{ name: 'Products Searched', properties: { query: 'coffee', total_results: 2 } }]);
  });

  it('from product::search.results (salla.product.search) with the results', () => {
    expect(run(state(), 'product::search.results', args('product::search.results', 0))).toEqual([
      { name: 'Products Searched', properties: { query: 'tea', total_results: 2, products: TEA } },
    ]);
  });

  it('once when the server event and the hook report the same search', () => {
    const s = state();
    const names = [
      ...run(s, 'Products Searched', [[{ query: 'tea', total: 2 }]]),
      ...run(s, 'product::search.results', args('product::search.results', 0)),
    ].map((e) => e.name);
    expect(names).toEqual(['Products Searched']);
  });

  it('a search without a query is a debug line, not an event', () => {
    const s = state();
    expect(run(s, 'product::search.results', [{ data: [] }, undefined])).toEqual([]);
    expect(s.log).toHaveBeenCalledWith('no query');
  });
});

describe('product: Product Reviewed', () => {
  it('one event per rated product (rating::products.rated)', () => {
    // salla.rating.products({order_id, products}): (SuccessResponse, the payload sent)
    const rated = args('rating::products.rated', 0) as [unknown, { products: unknown[] }];
    rated[1].products.push({ comment: 'no id', rating: 1 }); // one without a product id is left out
    expect(run(state(), 'rating::products.rated', rated)).toEqual([
      {
        name: 'Product Reviewed',
        properties: { product_id: '101', order_id: '300001', review_body: 'Bright and fruity', rating: 5 },
      },
      { name: 'Product Reviewed', properties: { product_id: '102', order_id: '300001', rating: 4 } },
    ]);
  });
});

describe('product: Product Viewed repairs', () => {
  it('value from price × quantity when the server sends none; no value without a price', () => {
    const [a] = run(state(), 'Product Viewed', [[{ id: 9, price: '10.10', quantity: 3 }]]);
    expect(a?.properties).toEqual({
      product_id: '9',
      price: 10.1,
      quantity: 3,
      currency: 'SAR',
      value: 30.3,
    });
    const [b] = run(state(), 'Product Viewed', [[{ id: 9 }]]);
    expect(b?.properties).toEqual({ product_id: '9', currency: 'SAR' });
  });
});
