import { describe, expect, it } from 'vitest';
import { args, run, state } from './fixture';

const line = (
  id: string,
  sku: string,
  name: string,
  price: number,
  quantity: number,
  category: string,
  img: string,
  position: number,
) => ({
  product_id: id,
  sku,
  name,
  price,
  quantity,
  category,
  url: 'http://127.0.0.1:4400/p/' + id,
  image_url: 'http://127.0.0.1:4400/assets/img/' + img + '.svg',
  position,
  currency: 'SAR',
});

describe('order', () => {
  it('Order Completed from the server event on the thank-you page, with a deterministic id', () => {
    expect(run(state({ pageSlug: 'thank-you' }), 'Order Completed', args('Order Completed', 0))).toEqual([
      {
        name: 'Order Completed',
        id: 'tt-oc-300001',
        properties: {
          order_id: '300001',
          checkout_id: '70001',
          total: 416,
          subtotal: 416,
          revenue: 416,
          shipping: 0,
          tax: 54.26,
          discount: 0,
          currency: 'SAR',
          products: [
            line('101', 'COF-ETH-250', 'Ethiopian Yirgacheffe Beans', 68, 3, 'Coffee', 'amber', 1),
            line('102', 'COF-COL-500', 'Colombian Supremo Beans', 85, 2, 'Coffee', 'brown', 2),
            line('103', 'TEA-GRN-100', 'Sencha Green Tea', 42, 1, 'Tea', 'green', 3),
          ],
        },
      },
    ]);
  });

  it('an Order Completed without an order id is a debug line', () => {
    const s = state();
    expect(run(s, 'Order Completed', [[{ total: 10 }]])).toEqual([]);
    expect(s.log).toHaveBeenCalledWith('no order id');
  });

  it('Product Reordered from order::order.created (a whole order, or one product)', () => {
    // salla.order.createCartFromOrder(300001): (CreateCartFromOrderResponse, order id)
    expect(run(state(), 'order::order.created', args('order::order.created', 0))).toEqual([
      { name: 'Product Reordered', properties: { order_id: '300001', cart_id: '70004' } },
    ]);
    // salla.order.reorderProduct(103): data gets type 'reorder' and id; the order id is data.order_id
    expect(run(state(), 'order::order.created', args('order::order.created', 1))).toEqual([
      { name: 'Product Reordered', properties: { order_id: '300001', cart_id: '70004', product_id: '103' } },
    ]);
  });
});
