"""Price predictions, a sub-domain of pricing: the gold forecast (`gold`) and the diamond
model (`diamonds`) registered with the model registry (`haat.ml`), the rules of a prediction
(`service`), the retrain job (`tasks`) and `/api/predictions` (`router`)."""
