"""Events, attendance and ratings; the motivation index; pacts, the actor × line matrix and the network."""
