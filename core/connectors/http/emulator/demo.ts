import type { JsonValue } from '../../../model/json-value.js';
import { type DemoSystemDefinition, tabulate } from '../../emulator-kit/demo-system.js';
import { DEMO_SHOP_PORT, DEMO_SHOP_TOKEN, startDemoShop } from './demo-shop.js';

/** The demo shop (a small REST API of products) that the example workspace's "Shop API" connection reaches. */
export const shopDemoSystem: DemoSystemDefinition = {
  id: 'shop',
  name: 'Shop API',
  port: DEMO_SHOP_PORT,
  async start(port) {
    const shop = await startDemoShop(port);
    const products = () => [...shop.products.values()] as Record<string, JsonValue>[];
    return {
      url: shop.url,
      message: `Demo shop API at ${shop.url} (token "${DEMO_SHOP_TOKEN}")`,
      connection: {
        id: 'shop-api',
        name: 'Shop API',
        connector: 'http',
        settings: { auth: 'bearer', baseUrl: shop.url },
        secrets: { token: DEMO_SHOP_TOKEN },
        urlFields: ['baseUrl'],
      },
      data: {
        entities: () => [{ name: 'products', count: shop.products.size }],
        // A map keeps insertion order, and an update keeps a product's place: newest created first.
        page: (entity, range) => (entity === 'products' ? tabulate(products().reverse(), range) : undefined),
      },
      close: () => shop.close(),
    };
  },
};
