"""Jewellery pricing: metal rates, jewellery prices, gold and diamond price prediction."""
