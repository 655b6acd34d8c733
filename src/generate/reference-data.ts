// The world the generated shop sells in: markets, catalogue, carriers, warehouses and names.
// Values stay within the contracts' value lists (src/contracts/enums.ts), so clean data is never rejected.

export interface Market {
  country: string;
  currency: string;
  weight: number;
  regions: readonly (readonly [region: string, city: string])[];
  carriers: readonly string[];
  warehouse: string;
}

export const MARKETS: readonly Market[] = [
  { country: 'DE', currency: 'EUR', weight: 22, regions: [['Berlin', 'Berlin'], ['Bavaria', 'Munich'], ['Hamburg', 'Hamburg'], ['Hesse', 'Frankfurt']], carriers: ['DHL', 'DPD', 'Hermes'], warehouse: 'WH-DE-LEIPZIG' },
  { country: 'FR', currency: 'EUR', weight: 14, regions: [['Île-de-France', 'Paris'], ['Auvergne-Rhône-Alpes', 'Lyon'], ['Occitanie', 'Toulouse']], carriers: ['Colissimo', 'DPD', 'UPS'], warehouse: 'WH-DE-LEIPZIG' },
  { country: 'GB', currency: 'GBP', weight: 14, regions: [['England', 'London'], ['England', 'Manchester'], ['Scotland', 'Edinburgh']], carriers: ['Royal Mail', 'DPD', 'UPS'], warehouse: 'WH-UK-NORTHAMPTON' },
  { country: 'US', currency: 'USD', weight: 16, regions: [['California', 'Los Angeles'], ['New York', 'New York'], ['Texas', 'Austin'], ['Illinois', 'Chicago']], carriers: ['UPS', 'FedEx', 'USPS'], warehouse: 'WH-US-RENO' },
  { country: 'NL', currency: 'EUR', weight: 7, regions: [['North Holland', 'Amsterdam'], ['South Holland', 'Rotterdam']], carriers: ['PostNL', 'DHL'], warehouse: 'WH-DE-LEIPZIG' },
  { country: 'ES', currency: 'EUR', weight: 6, regions: [['Madrid', 'Madrid'], ['Catalonia', 'Barcelona']], carriers: ['Correos', 'SEUR'], warehouse: 'WH-DE-LEIPZIG' },
  { country: 'IT', currency: 'EUR', weight: 6, regions: [['Lombardy', 'Milan'], ['Lazio', 'Rome']], carriers: ['BRT', 'DHL'], warehouse: 'WH-DE-LEIPZIG' },
  { country: 'SE', currency: 'SEK', weight: 6, regions: [['Stockholm', 'Stockholm'], ['Västra Götaland', 'Gothenburg']], carriers: ['PostNord', 'DHL'], warehouse: 'WH-SE-JONKOPING' },
  { country: 'PL', currency: 'PLN', weight: 6, regions: [['Masovia', 'Warsaw'], ['Lesser Poland', 'Kraków']], carriers: ['InPost', 'DPD'], warehouse: 'WH-DE-LEIPZIG' },
  { country: 'BE', currency: 'EUR', weight: 3, regions: [['Brussels', 'Brussels'], ['Flanders', 'Antwerp']], carriers: ['bpost', 'DPD'], warehouse: 'WH-DE-LEIPZIG' },
];

export const WAREHOUSES = ['WH-DE-LEIPZIG', 'WH-UK-NORTHAMPTON', 'WH-US-RENO', 'WH-SE-JONKOPING'] as const;
/** Share of a product's stock held in each warehouse (same order as WAREHOUSES). */
export const WAREHOUSE_SHARE = [0.5, 0.2, 0.2, 0.1] as const;

/** Currency → [rate to EUR on the first day, daily volatility]. */
export const FX_START: Record<string, readonly [number, number]> = {
  EUR: [1, 0],
  GBP: [1.165, 0.003],
  USD: [0.925, 0.004],
  SEK: [0.0872, 0.004],
  PLN: [0.232, 0.003],
};

export const SALES_CHANNEL_MIX = [['web', 45], ['mobile', 30], ['marketplace', 12], ['store', 8], ['partner', 5]] as const;
/** Days promised for delivery, by channel (store purchases are taken home). */
export const PROMISE_DAYS: Record<string, number> = { web: 4, mobile: 4, marketplace: 5, partner: 5 };

export interface Category {
  name: string;
  weight: number;
  /** Typical price range in EUR. */
  price: readonly [number, number];
  /** Chance that a delivered order with this category is returned. */
  returnRate: number;
  subcategories: readonly string[];
  nouns: readonly string[];
}

export const CATEGORIES: readonly Category[] = [
  { name: 'Apparel', weight: 24, price: [12, 120], returnRate: 0.16, subcategories: ['Tops', 'Trousers', 'Dresses', 'Outerwear', 'Knitwear'], nouns: ['T-Shirt', 'Hoodie', 'Jeans', 'Jacket', 'Sweater', 'Dress', 'Shirt', 'Chinos'] },
  { name: 'Footwear', weight: 12, price: [30, 180], returnRate: 0.18, subcategories: ['Sneakers', 'Boots', 'Sandals'], nouns: ['Runner', 'Boot', 'Sneaker', 'Sandal', 'Loafer'] },
  { name: 'Electronics', weight: 14, price: [15, 900], returnRate: 0.06, subcategories: ['Audio', 'Phones', 'Accessories', 'Wearables'], nouns: ['Headphones', 'Speaker', 'Charger', 'Watch', 'Earbuds', 'Cable', 'Power Bank'] },
  { name: 'Home', weight: 16, price: [8, 250], returnRate: 0.05, subcategories: ['Kitchen', 'Decor', 'Bedding', 'Lighting'], nouns: ['Mug', 'Lamp', 'Cushion', 'Pan', 'Duvet', 'Vase', 'Knife Set'] },
  { name: 'Beauty', weight: 10, price: [5, 80], returnRate: 0.03, subcategories: ['Skincare', 'Haircare', 'Fragrance'], nouns: ['Serum', 'Shampoo', 'Cream', 'Perfume', 'Cleanser'] },
  { name: 'Sports', weight: 9, price: [10, 300], returnRate: 0.07, subcategories: ['Fitness', 'Outdoor', 'Cycling'], nouns: ['Yoga Mat', 'Tent', 'Bottle', 'Helmet', 'Backpack', 'Dumbbell'] },
  { name: 'Toys', weight: 7, price: [6, 90], returnRate: 0.04, subcategories: ['Games', 'Building', 'Plush'], nouns: ['Puzzle', 'Board Game', 'Bricks', 'Teddy', 'Kite'] },
  { name: 'Books', weight: 8, price: [6, 45], returnRate: 0.02, subcategories: ['Fiction', 'Non-fiction', 'Children'], nouns: ['Novel', 'Cookbook', 'Guide', 'Picture Book', 'Biography'] },
];

export const BRANDS = ['Northwind', 'Fjord', 'Aster', 'Bolt', 'Cedar & Co', 'Lumen', 'Kestrel', 'Mira', 'Nomad', 'Oak Lane', 'Pebble', 'Quill', 'Rivet', 'Solace', 'Tundra', 'Vega'];
export const ADJECTIVES = ['Classic', 'Everyday', 'Pro', 'Lite', 'Organic', 'Urban', 'Trail', 'Soft', 'Compact', 'Premium', 'Essential', 'Recycled'];
export const SUPPLIERS = ['Acme Sourcing', 'Baltic Textiles', 'Shenzhen Bright', 'Iberia Goods', 'Nordic Supply', 'Po Valley Makers'];

export const FIRST_NAMES = ['Anna', 'Ben', 'Chloé', 'David', 'Emma', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Karin', 'Liam', 'Maja', 'Noah', 'Olivia', 'Pawel', 'Quentin', 'Rosa', 'Sofia', 'Tom', 'Ula', 'Victor', 'Wiktoria', 'Yusuf', 'Zoe', 'Lucía', 'Marco', 'Elif', 'Sven', 'Aoife'];
export const LAST_NAMES = ['Müller', 'Martin', 'Smith', 'Johnson', 'de Vries', 'García', 'Rossi', 'Andersson', 'Nowak', 'Peeters', 'Schmidt', 'Bernard', 'Brown', 'Williams', 'Jansen', 'López', 'Bianchi', 'Johansson', 'Kowalski', 'Janssens', "O'Brien", 'Weber', 'Dubois', 'Taylor', 'Miller'];

export const RETURN_REASONS = ['too small', 'too large', 'damaged', 'not as described', 'changed mind', 'arrived late', 'wrong item'];
export const SUPPORT_CHANNEL_MIX = [['email', 40], ['chat', 35], ['phone', 15], ['social', 10]] as const;
export const DISCOUNT_CODES = ['WELCOME10', 'SPRING15', 'VIP20', 'FREESHIP', 'SALE10'];
export const UTM_SOURCES = ['google', 'newsletter', 'instagram', 'tiktok', 'affiliate', ''];
