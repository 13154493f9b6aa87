// The ways of sharing a lot's pooling gain (the API's `method` of /allocation), in plain words
// with the one sentence a member's director needs to follow them (docs/evaluation-and-savings.md).
export const allocationMethods = {
  uniform: {
    name: 'Prix unique (contrats)',
    help: 'Chaque membre garde le gain que lui donne le prix unique de son contrat : les gros volumes profitent à tous de la même façon.',
  },
  shapley: {
    name: 'Apport de chacun (valeur de Shapley)',
    help: 'Chaque membre reçoit ce que sa participation ajoute en moyenne au gain du groupe, quel que soit l’ordre dans lequel les membres le rejoignent.',
  },
  proportional: {
    name: 'Au prorata des quantités',
    help: 'Le gain est partagé en proportion de la quantité achetée par chaque membre.',
  },
  equal: {
    name: 'À parts égales',
    help: 'Chaque membre du lot reçoit la même part du gain, quelle que soit sa quantité.',
  },
};

// Whether the contracts' sharing is stable (« dans le cœur » of the game), said plainly.
export function coreSentence(inCore) {
  if (inCore === null || inCore === undefined) return '';
  return inCore
    ? 'Partage stable (dans le « cœur ») : aucun groupe de membres n’obtiendrait un meilleur gain en achetant seul.'
    : 'Partage instable (hors du « cœur ») : un groupe de membres obtiendrait un meilleur prix en achetant seul.';
}
