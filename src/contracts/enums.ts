// Value lists shared by several contracts (and by the generator, so it never invents a value we reject).

export const SALES_CHANNELS = ['web', 'mobile', 'store', 'marketplace', 'partner'] as const;
export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned'] as const;
export const EVENT_TYPES = ['page_view', 'search', 'product_view', 'add_to_cart', 'remove_from_cart', 'checkout_start', 'purchase'] as const;
export const DEVICES = ['desktop', 'mobile', 'tablet'] as const;
export const SHIPMENT_STATUSES = ['pending', 'in_transit', 'delivered', 'lost'] as const;
export const SUPPORT_CHANNELS = ['email', 'chat', 'phone', 'social'] as const;
