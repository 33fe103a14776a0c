#pragma once
// Includes QCustomPlot under QT_NO_KEYWORDS: its header writes `signals:` and `foreach`,
// which that define turns off. Include this instead of <qcustomplot.h>.

#include <QtGlobal>

#ifndef signals
#define signals Q_SIGNALS
#define RETORT_UNDEF_SIGNALS
#endif
#ifndef foreach
#define foreach Q_FOREACH
#define RETORT_UNDEF_FOREACH
#endif

#include <qcustomplot.h>

#ifdef RETORT_UNDEF_SIGNALS
#undef signals
#undef RETORT_UNDEF_SIGNALS
#endif
#ifdef RETORT_UNDEF_FOREACH
#undef foreach
#undef RETORT_UNDEF_FOREACH
#endif
