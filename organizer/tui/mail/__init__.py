"""The app's mail feature: send invites, digests and nudges with a preview; import replies."""
