// The sales volume a scale leaves room for, and what each product is
// expected to sell: the basis of the daily sales and of honest annual
// values (商品价值量).
#pragma once

#include "generator/fraud_plan.h"
#include "generator/world.h"
#include "ledger/status.h"

namespace fupin::generator {

// Removes sham suppliers' products from the assortments, indexes the
// outlets of each product, counts the events other than sales, and sets
// w.planned_sales (honest sales of the window), each product's expected
// sales and its annual value. kInvalidArgument when the scale's event
// budget leaves fewer sales than registry events.
Status PlanVolumes(World& w, const FraudPlan& plan);

// Days of the window an outlet is in operation (0 for zombies, which
// never sell).
int OperatingDays(const Outlet& o);

}  // namespace fupin::generator
