import Stochastic
