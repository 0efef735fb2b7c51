import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { CustomerIdParams } from '#application/api-doc.ts';
import { HttpError, parseParams } from '#application/http.ts';
import type { CustomerDataExport, PersonalDataRepository } from '#core/ports.ts';

/** Returns whether the export holds anything at all. */
export function holdsData(data: CustomerDataExport): boolean {
  return (
    data.profile !== undefined ||
    [
      data.events,
      data.timeline,
      data.subjects,
      data.runs,
      data.sends,
      data.holds,
      data.handOvers,
      data.shortLinks,
    ].some((items) => items.length > 0)
  );
}

/**
 * Returns the customer id in the path and everything stored about that customer (GDPR export and erasure read the
 * same); 404 when nothing is stored, so neither confirms that an unknown id ever existed.
 */
export async function storedDataOf(
  personalData: Pick<PersonalDataRepository, 'exportCustomerData'>,
  event: APIGatewayProxyEventV2,
): Promise<{ customerId: string; data: CustomerDataExport }> {
  const { customerId } = parseParams(event.pathParameters, CustomerIdParams);
  const data = await personalData.exportCustomerData(customerId);
  if (!holdsData(data)) throw new HttpError(404, 'nothing stored about this customer');
  return { customerId, data };
}
