"""Local HTTP servers speaking the parts of the Stripe and Razorpay APIs Haat calls."""
