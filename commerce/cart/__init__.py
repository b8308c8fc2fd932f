"""Shopping cart: one persistent cart per customer (rows in `cart_items`)."""
