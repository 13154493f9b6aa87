#include "engine/order_form.hpp"

#include "engine/award_documents.hpp"

namespace canopee {

Document order_form(const OrderFormFacts& facts) {
  const Order& o = facts.order;
  Document d;
  d.kind = DocumentKind::order_form;
  d.title = "Bon de commande " + o.reference;
  d.reference = o.reference;
  d.dated = o.sent_on.value_or(o.ordered_on);
  d.sender = {facts.member_name};
  d.recipient = {facts.supplier_name};
  d.subject = "Objet : commande au titre de l’accord-cadre " + facts.tender_reference + " — " + facts.tender_title +
              ", lot " + std::to_string(facts.lot_number) + " (" + facts.lot_title + ")";
  d.paragraph("Commande passée le " + french_long_date(o.ordered_on) + " par " + facts.member_name +
              ", membre du groupement, en exécution de son marché n° " + std::to_string(o.contract_id) +
              " (accord-cadre à bons de commande, article R2162-2 du code de la commande publique).");
  if (o.status == OrderStatus::draft) d.paragraph("PROJET — ce bon n’est pas encore envoyé et n’engage pas le membre.");
  if (o.status == OrderStatus::cancelled)
    d.paragraph("ANNULÉ le " + to_french(*o.cancelled_on) + " : " + o.cancel_reason);
  DocumentTable lines{{"N°", "Désignation", "Quantité", "Prix unitaire HT", "Montant HT"},
                      {},
                      {true, false, true, true, true}};
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    const auto& line = o.lines[i];
    std::string price = to_string(line.unit_price);
    std::replace(price.begin(), price.end(), '.', ',');
    lines.rows.push_back({std::to_string(i + 1), line.description.empty() ? facts.lot_title : line.description,
                          french_quantity(line.quantity, facts.unit), price + "\u00a0€", to_french_euros(line.amount)});
  }
  lines.rows.push_back({"", "Total HT", "", "", to_french_euros(o.total)});
  d.table(std::move(lines));
  d.paragraph(
      "Prix hors taxes, au prix du marché en vigueur le jour de la commande (révisé le cas échéant selon "
      "ses clauses). La TVA s’ajoute au taux en vigueur.");
  d.heading("Livraison");
  d.paragraph("Lieu : " + o.delivery_place);
  d.paragraph(o.delivery_date ? "Date souhaitée : " + french_long_date(*o.delivery_date)
                              : "Date : selon les délais du marché.");
  d.signature = "Pour " + facts.member_name + ", le représentant habilité";
  return d;
}

}  // namespace canopee
