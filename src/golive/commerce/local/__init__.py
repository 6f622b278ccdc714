"""The built-in test provider: a checkout page served by the app, test cards, Stripe-shaped signed webhooks."""
